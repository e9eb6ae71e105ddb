// Goal (issue 12, first part): an Ambito's event log on PostgreSQL holds the same rows and the same hash chain
// as the SQLite store, keeps `seq` gapless and the chain unforked under many concurrent writers, and is
// append-only by the database itself (triggers, and an application role without the privileges).
// The server comes from Scripts/postgres-temporaneo through FONDI_PG_PROPRIETARIO and FONDI_PG_APP
// (Scripts/test sets them); without them these tests are skipped, except in CI, where that is a failure.
import Fondi
@testable import FondiPostgres
import FondiStore
import FondiTesting
import Foundation
import Testing

enum ServerPostgres {
    static let proprietario = ProcessInfo.processInfo.environment["FONDI_PG_PROPRIETARIO"]
    static let app = ProcessInfo.processInfo.environment["FONDI_PG_APP"]
    static var disponibile: Bool { proprietario != nil && app != nil }

    /// A new Ambito's ledger for one test: its owner's handle and its application's.
    static func nuovoAmbito() async throws -> (proprietario: RegistroPostgres, app: RegistroPostgres, ambito: String) {
        let ambito = "T" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12)
        let p = RegistroPostgres(try IndirizzoPostgres(proprietario! + "?ambito=" + ambito))
        try await p.inizializza(applicazione: "fondi_app")
        return (p, RegistroPostgres(try IndirizzoPostgres(app! + "?ambito=" + ambito), connessioni: 4), ambito)
    }
}

struct IndirizzoPostgresTests {
    @Test func leggeLIndirizzo() throws {
        let i = try IndirizzoPostgres("postgres://fondi_app:segreta@db.regione.example:6543/fondi?ambito=CASARANO")
        #expect(i.utente == "fondi_app" && i.password == "segreta" && i.host == "db.regione.example" && i.porta == 6543)
        #expect(i.database == "fondi" && i.ambito == "CASARANO" && i.schema == "ambito_casarano")
        #expect(try IndirizzoPostgres("postgresql://u@h/d?ambito=A_1").porta == 5432)
        for sbagliato in ["postgres://u@h/d", "postgres://h/d?ambito=A", "postgres://u@h:99999/d?ambito=A",
                          "postgres://u@h/d?ambito=A;DROP", "mysql://u@h/d?ambito=A", "postgres://u@h/?ambito=A"] {
            #expect(throws: ErrorePostgres.self, "\(sbagliato)") { try IndirizzoPostgres(sbagliato) }
        }
    }

    @Test func inCIIlServerCe() {
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            #expect(ServerPostgres.disponibile, "in CI il server PostgreSQL deve esserci (Scripts/test lo avvia)")
        }
    }
}

@Suite(.enabled(if: ServerPostgres.disponibile, "PostgreSQL non disponibile: imposta FONDI_PG_PROPRIETARIO e FONDI_PG_APP (Scripts/test lo fa)"))
struct RegistroPostgresTests {
    /// The events of random histories, appended to PostgreSQL with their recording times, chain to exactly
    /// the hashes the SQLite store computed: the canonical bytes do not depend on the engine.
    @Test func stessiHashDiSQLite() async throws {
        let cartella = NSTemporaryDirectory() + "fondi-pg-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: cartella, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: cartella) }
        let sqlite = try Registro.inizializza(percorso: cartella + "/r.sqlite").registro
        for passo in 0..<300 {
            let (c, d) = GeneratoreComandi.comando(passo &* 2_654_435_761 % 1_000_003, passo: passo)
            let chiave = passo % 7 == 0 ? Codice(validando: "k\(passo)") : nil
            _ = try? sqlite.registra([Passo(comando: c, contesto: Contesto(data: d, atto: Testo(validando: "Det. \(passo)"), utente: "anna", chiave: chiave))])
        }
        var eventi: [EventoRegistrato] = []
        try sqlite.leggiEventi { eventi.append($0) }
        #expect(eventi.count > 100)
        let (p, app, _) = try await ServerPostgres.nuovoAmbito()
        defer { p.chiudi(); app.chiudi() }
        var hash: [[UInt8]] = []
        for lotto in stride(from: 0, to: eventi.count, by: 37).map({ Array(eventi[$0..<min($0 + 37, eventi.count)]) }) {
            hash += try await app.aggiungi(lotto.map { e in
                (e.evento, Contesto(data: e.data, atto: e.atto.flatMap { Testo(validando: $0) }, utente: Codice(validando: e.utente)!,
                                    chiave: e.chiave.flatMap { Codice(validando: $0) }), e.registratoIl)
            }).map(\.hash)
        }
        #expect(hash == eventi.map(\.hashByte))
        let v = try await app.verificaCatena()
        #expect(v.eventi == Int64(eventi.count) && v.testa == eventi.last!.hashByte)
    }

    /// 16 writers at once, each with its own connections, 20 appends of 1–3 events each: every seq from 1 to
    /// the total exactly once, one chain, the head on its last event.
    @Test func scrittoriConcorrentiSenzaBuchiNeBiforcazioni() async throws {
        let (p, _, ambito) = try await ServerPostgres.nuovoAmbito()
        defer { p.chiudi() }
        let contesto = Contesto(data: DataContabile("2023-01-10"), atto: Testo(validando: "A"), utente: "anna", chiave: nil)
        let seq = try await withThrowingTaskGroup(of: [Int64].self) { gruppo in
            for w in 0..<16 {
                gruppo.addTask {
                    let r = RegistroPostgres(try IndirizzoPostgres(ServerPostgres.app! + "?ambito=" + ambito), connessioni: 1)
                    defer { r.chiudi() }
                    var miei: [Int64] = []
                    for k in 0..<20 {
                        let n = 1 + (w + k) % 3
                        let eventi = (0..<n).map { i in
                            (Evento.servizioRegistrato(codice: "S\(w)-\(k)-\(i)", descrizione: "Servizio"), contesto, Orologio.adesso())
                        }
                        miei += try await r.aggiungi(eventi).map(\.seq)
                    }
                    return miei
                }
            }
            var tutti: [Int64] = []
            for try await s in gruppo { tutti += s }
            return tutti
        }
        #expect(seq.sorted() == Array(1...Int64(seq.count)))
        let v = try await p.verificaCatena()
        #expect(v.eventi == Int64(seq.count))
    }

    /// Append-only by the database: the application role may not update, delete or truncate events; the owner
    /// is stopped by the triggers; a row changed behind the triggers' back is found by the chain check.
    @Test func soloAggiunte() async throws {
        let (p, app, _) = try await ServerPostgres.nuovoAmbito()
        defer { p.chiudi(); app.chiudi() }
        let contesto = Contesto(data: DataContabile("2023-01-10"), atto: Testo(validando: "A"), utente: "anna", chiave: nil)
        _ = try await app.aggiungi((0..<5).map { (Evento.servizioRegistrato(codice: "S\($0)", descrizione: "Servizio"), contesto, Orologio.adesso()) })
        let s = app.s
        for sql in ["UPDATE \(s).evento SET utente = 'x'", "DELETE FROM \(s).evento", "TRUNCATE \(s).evento", "DROP TABLE \(s).evento"] {
            await #expect(throws: (any Error).self, "\(sql)") { try await app.esegui(sql) }
        }
        for sql in ["UPDATE \(s).evento SET utente = 'x'", "DELETE FROM \(s).evento WHERE seq = 5", "TRUNCATE \(s).evento"] {
            await #expect(throws: (any Error).self, "\(sql)") { try await p.esegui(sql) }
        }
        #expect(try await app.verificaCatena().eventi == 5)
        // The owner can still disable its triggers: the chain says which event was changed.
        try await p.esegui("ALTER TABLE \(s).evento DISABLE TRIGGER evento_solo_aggiunte")
        try await p.esegui("UPDATE \(s).evento SET utente = 'mallory' WHERE seq = 3")
        await #expect(throws: ErrorePostgres.self) { try await app.verificaCatena() }
        do { _ = try await app.verificaCatena() } catch let e as ErrorePostgres { #expect(e.messaggio.contains("evento 3")) }
    }
}
