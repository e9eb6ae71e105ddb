// Goal: the server is operable (issue 11): /metriche counts what happened, every response carries a request
// id that its log line carries too, logs hold no password, token or cookie, and the limits (body size, time
// per read) refuse with the Italian message and the right status, writing nothing.
import Fondi
import FondiServizi
import FondiStore
import FondiTesting
@testable import FondiWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import Testing

/// Log lines kept in memory, formatted as `fondi serve` writes them.
final class LogRaccolto: Sendable {
    let righe = Mutex<[String]>([])
    var testo: String { righe.withLock { $0.joined(separator: "\n") } }

    var logger: Logger {
        Logger(label: "test") { _ in LogJSON(etichetta: "test", scrivi: { riga in self.righe.withLock { $0.append(riga) } }) }
    }
}

struct EsercizioTests {
    func token(_ b: BancoWeb, _ nome: String) throws -> String {
        try Registro.apri(percorso: b.percorso, modo: .scrittura).nuovoToken(nome: cod(nome), da: "test")
    }

    func app(_ b: BancoWeb, _ archivio: Archivio, logger: Logger? = nil) -> some ApplicationProtocol {
        Application(router: Web.router(archivio: archivio, configurazione: ConfigurazioneWeb(oggi: { DataContabile("2023-06-01") })),
                    logger: logger ?? Logger(label: "test"))
    }

    static let impegno = #"{"comando":"impegna","numero":"2023/2","fonte":"FNA-2023","servizio":"SAD","esercizio":2023,"importo":"100,00","creditore":"C","oggetto":"O","atto":"Det. 2","data":"2023-03-01"}"#

    @Test func metricheContanoRichiesteEComandi() async throws {
        let b = try BancoWeb()
        let t = try token(b, "oper")
        let archivio = Archivio(percorso: b.percorso)
        try await app(b, archivio).test(.router) { c in
            let bearer: HTTPFields = [.authorization: "Bearer " + t, .contentType: "application/json"]
            let r1 = try await c.execute(uri: "/api/v1/saldi", method: .get, headers: bearer)
            let r2 = try await c.execute(uri: "/api/v1/saldi", method: .get, headers: bearer)
            #expect(r1.status == .ok)
            // Every response has its own request id.
            let id1 = try #require(r1.headers[HTTPField.Name("X-Request-Id")!]), id2 = try #require(r2.headers[HTTPField.Name("X-Request-Id")!])
            #expect(id1 != id2 && id1.count >= 16)
            #expect(try await c.execute(uri: "/api/v1/comandi", method: .post, headers: bearer, body: ByteBuffer(string: Self.impegno)).status == .ok)
            let rifiutato = Self.impegno.replacingOccurrences(of: "2023/2", with: "2023/3").replacingOccurrences(of: "100,00", with: "999999,00")
            #expect(try await c.execute(uri: "/api/v1/comandi", method: .post, headers: bearer, body: ByteBuffer(string: rifiutato)).status == .unprocessableContent)
            #expect(try await c.execute(uri: "/api/v1/eventi/7", method: .get, headers: bearer).status == .notFound)
            // Public, like /salute: what a scraper reads, no amounts and no names.
            let m = try await c.execute(uri: "/metriche", method: .get)
            let testo = String(buffer: m.body)
            #expect(m.status == .ok && m.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            #expect(testo.contains(#"fondi_richieste_totale{metodo="GET",rotta="/api/v1/saldi",stato="200"} 2"#))
            #expect(testo.contains(#"fondi_richieste_totale{metodo="POST",rotta="/api/v1/comandi",stato="200"} 1"#))
            #expect(testo.contains(#"fondi_richieste_totale{metodo="GET",rotta="(nessuna)",stato="404"} 1"#))
            #expect(testo.contains(#"fondi_richiesta_durata_secondi_count{metodo="GET",rotta="/api/v1/saldi"} 2"#))
            #expect(testo.contains("fondi_comandi_applicati_totale 1\n"))
            #expect(testo.contains(#"fondi_comandi_rifiutati_totale{motivo="regola_o_valore"} 1"#))
            #expect(testo.contains("fondi_registro_ultimo_seq 5.0\n"))
            #expect(testo.contains("fondi_ultimo_esercizio_chiuso 0.0\n"))
            #expect(!testo.contains("Coop") && !testo.contains("FNA-2023"))
            let memoria = testo.split(separator: "\n").first { $0.hasPrefix("process_resident_memory_bytes ") }
            #expect(memoria.flatMap { Double($0.split(separator: " ")[1]) }.map { $0 > 1_000_000 } == true)
            // A repeated key applies nothing and counts nothing.
            var conChiave = bearer
            conChiave[HTTPField.Name("Idempotency-Key")!] = "k-1"
            let altro = Self.impegno.replacingOccurrences(of: "2023/2", with: "2023/4")
            for _ in 0..<2 { _ = try await c.execute(uri: "/api/v1/comandi", method: .post, headers: conChiave, body: ByteBuffer(string: altro)) }
            let dopo = String(buffer: try await c.execute(uri: "/metriche", method: .get).body)
            #expect(dopo.contains("fondi_comandi_applicati_totale 2\n") && dopo.contains("fondi_registro_ultimo_seq 6.0\n"))
        }
    }

    @Test func corpoTroppoGrandeRifiutatoSenzaScrivere() async throws {
        let b = try BancoWeb()
        let t = try token(b, "oper")
        let prima = try b.testa()
        try await app(b, Archivio(percorso: b.percorso)).test(.router) { c in
            let grande = "{\"comandi\":[" + Array(repeating: Self.impegno, count: 2_000).joined(separator: ",") + "]}"
            let r = try await c.execute(uri: "/api/v1/comandi", method: .post, headers: [.authorization: "Bearer " + t], body: ByteBuffer(string: grande))
            #expect(r.status == .contentTooLarge)
            #expect(String(buffer: r.body) == #"{"errore":"corpo della richiesta oltre 256 KiB: dividi i comandi in più richieste o usa fondi importa"}"#)
        }
        #expect(try b.testa() == prima)
    }

    /// A read that runs past `tempoMassimo` is interrupted inside SQLite: 503, Retry-After, the Italian message.
    @Test func letturaOltreIlTempoMassimo() async throws {
        let b = try BancoWeb()
        let t = try token(b, "cons")
        let r = try Registro.apri(percorso: b.percorso, modo: .scrittura)
        _ = try r.registra((0..<3_000).map { i in
            Passo(comando: .servizioRegistra(codice: cod("S\(i)"), descrizione: txt("Servizio \(i)")),
                  contesto: Contesto(data: DataContabile("2023-01-10"), atto: "A", utente: "test", chiave: nil))
        })
        let bearer: HTTPFields = [.authorization: "Bearer " + t]
        try await app(b, Archivio(percorso: b.percorso, tempoMassimo: 0)).test(.router) { c in
            let lenta = try await c.execute(uri: "/api/v1/eventi?limite=3000", method: .get, headers: bearer)
            #expect(lenta.status == .serviceUnavailable && lenta.headers[.retryAfter] == "1")
            #expect(String(buffer: lenta.body) == #"{"errore":"lettura interrotta: ha superato il tempo massimo concesso a una richiesta"}"#)
            // verifica is an audit asked for on purpose: not bounded.
            #expect(try await c.execute(uri: "/api/v1/verifica", method: .get, headers: bearer).status == .ok)
        }
        try await app(b, Archivio(percorso: b.percorso)).test(.router) { c in
            let r = try await c.execute(uri: "/api/v1/eventi?limite=3000", method: .get, headers: bearer)
            #expect(r.status == .ok && String(buffer: r.body).split(separator: "\n").count == 3_000)
        }
    }

    /// One JSON line per request with the id the response carries; never a password, a token or a cookie.
    @Test func logStrutturatiSenzaSegreti() async throws {
        let b = try BancoWeb()
        let t = try token(b, "oper")
        let log = LogRaccolto()
        let ids = try await app(b, Archivio(percorso: b.percorso), logger: log.logger).test(.router) { c -> [String] in
            var ids: [String] = []
            let (_, sessione) = try await accedi(c, "oper")
            let s = try #require(sessione)
            let pagina = try await c.execute(uri: "/saldi?al=2023-05-01", method: .get, headers: [.cookie: s.cookie])
            ids.append(try #require(pagina.headers[HTTPField.Name("X-Request-Id")!]))
            let api = try await c.execute(uri: "/api/v1/comandi", method: .post, headers: [.authorization: "Bearer " + t], body: ByteBuffer(string: Self.impegno))
            #expect(api.status == .ok)
            ids.append(try #require(api.headers[HTTPField.Name("X-Request-Id")!]))
            // A sign-in attempt with a wrong password (refused for its CSRF token): the password is not logged.
            _ = try await c.execute(uri: "/accesso", method: .post, headers: tipoModulo,
                                    body: modulo([("csrf", "x"), ("nome", "oper"), ("password", "parola-segreta-sbagliata")]))
            return ids
        }
        let righe = log.righe.withLock { $0 }.filter { $0.contains(#""messaggio":"richiesta""#) }
        #expect(righe.count >= 5)
        for riga in righe {
            let o = try #require(try JSONSerialization.jsonObject(with: Data(riga.utf8)) as? [String: Any])
            #expect(o["hb.request.id"] is String && o["stato"] is Int && o["durata_us"] is Int && o["rotta"] is String)
        }
        for id in ids { #expect(righe.contains { $0.contains(#""hb.request.id":"\#(id)""#) }) }
        #expect(righe.contains { $0.contains(#""percorso":"/api/v1/comandi""#) && $0.contains(#""utente":"oper""#) })
        #expect(righe.contains { $0.contains(#""percorso":"/saldi""#) && $0.contains(#""utente":"oper""#) && !$0.contains("2023-05-01") })
        let tutto = log.testo
        for segreto in [BancoWeb.password, "parola-segreta-sbagliata", t, "fondi_sessione="] { #expect(!tutto.contains(segreto), "\(segreto)") }
    }

    @Test func rigaDiLog() throws {
        let riga = LogJSON.riga(ora: "2026-12-02T09:30:56.123Z", livello: .warning, messaggio: "a \"b\"\n", etichetta: "fondi",
                                dati: ["n": .stringConvertible(42), "s": .string("x"), "l": .array([.string("y")])])
        #expect(riga == #"{"etichetta":"fondi","l":["y"],"livello":"warning","messaggio":"a \"b\"\n","n":42,"ora":"2026-12-02T09:30:56.123Z","s":"x"}"#)
        #expect(LogJSON.ora().count == 24 && LogJSON.ora().hasSuffix("Z"))
    }
}
