// Goal: the API is the CLI for programs (issue 11): the same random histories through `fondi` on one ledger
// and through `POST /api/v1/comandi` of `fondi serve` on another give the same JSON answers, the same refusals
// with the same messages and statuses, the same reads and the same events (but for registrato_il, utente and
// the hashes that follow from them). The driver is Script/contratto.py.
import Foundation
import Testing

struct ContrattoApiTests {
    @Test(arguments: [1, 2, 3])
    func stessaStoriaStesseRisposte(seme: Int) throws {
        let cartella = FileManager.default.temporaryDirectory.appendingPathComponent("fondi-contratto-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: cartella, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: cartella) }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Script/contratto.py").path
        let r = try Binario.python([script, Binario.eseguibile.path, cartella.path, String(seme), "120"])
        #expect(r.codice == 0, "\(r.uscita)")
        let ultima = r.uscita.split(separator: "\n").last.map(String.init) ?? ""
        #expect(ultima.hasSuffix(#""differenze": []}"#), "\(ultima)")
        // A history that did something: at least a dozen events accepted on both sides.
        let eventi = ultima.split(separator: ",").first.flatMap { Int($0.filter(\.isNumber)) } ?? 0
        #expect(eventi >= 12, "\(ultima)")
    }
}
