// Goal: when many requests want the same page for the same chain head, one makes it and the others get its
// result (or its error), instead of all making it at once.
@testable import FondiWeb
import Synchronization
import Testing

final class Contatore: Sendable {
    private let n = Mutex(0)
    func aggiungi() { n.withLock { $0 += 1 } }
    var valore: Int { n.withLock { $0 } }
}

struct Rifiutata: Error {}

struct VoloSingoloTests {
    @Test func unaSolaRichiestaFaLaPagina() async throws {
        let viste = CacheViste()
        let fatte = Contatore()
        let risultati = try await withThrowingTaskGroup(of: String.self) { gruppo in
            for _ in 0..<8 {
                gruppo.addTask {
                    try await viste.unaVolta("/|testa") {
                        fatte.aggiungi()
                        try await Task.sleep(for: .milliseconds(200))
                        return "corpo"
                    }
                }
            }
            return try await gruppo.reduce(into: []) { $0.append($1) }
        }
        #expect(risultati == Array(repeating: "corpo", count: 8))
        #expect(fatte.valore == 1)
        // Once made, the next request makes it again (keeping pages is `mettiPagina`'s job, not this one's).
        _ = try await viste.unaVolta("/|testa") { fatte.aggiungi(); return "corpo" }
        #expect(fatte.valore == 2)
    }

    @Test func lErroreArrivaATutti() async {
        let viste = CacheViste()
        let errori = await withTaskGroup(of: Bool.self) { gruppo in
            for _ in 0..<4 {
                gruppo.addTask {
                    do {
                        _ = try await viste.unaVolta("/saldi?fonte=X|testa") {
                            try await Task.sleep(for: .milliseconds(200))
                            throw Rifiutata()
                        }
                        return false
                    } catch { return error is Rifiutata }
                }
            }
            return await gruppo.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        #expect(errori == 4)
    }
}
