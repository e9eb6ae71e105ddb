// Goal (issue 12): an Ambito's ledger on PostgreSQL holds the same rows and the same hash chain as the SQLite
// store (a copy either way gives identical hashes), keeps `seq` gapless, the chain unforked and no line
// over-committed under many concurrent writers, and is append-only by the database itself (triggers, and an
// application role without the privileges). The rest of the conformance suite is FondiStoreTests, run a
// second time on PostgreSQL by Scripts/test (FONDI_PROVA_MOTORE=postgres).
// The server comes from Scripts/postgres-temporaneo through FONDI_PG_PROPRIETARIO and FONDI_PG_APP
// (Scripts/test sets them); without them these tests are skipped, except in CI, where that is a failure.
import Fondi
@testable import FondiPostgres
@testable import FondiStore
import FondiTesting
import Foundation
import Synchronization
import Testing

enum ServerPostgres {
    static let proprietario = ProcessInfo.processInfo.environment["FONDI_PG_PROPRIETARIO"]
    static let app = ProcessInfo.processInfo.environment["FONDI_PG_APP"]
    static var disponibile: Bool { proprietario != nil && app != nil }

    /// A new Ambito's ledger for one test: created by the owner; returns the owner's and the application's addresses.
    static func nuovoAmbito() throws -> (proprietario: String, app: String, ambito: String) {
        let ambito = "T" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12)
        let p = proprietario! + "?ambito=" + ambito
        _ = try Registro.inizializza(postgres: try IndirizzoPostgres(p))
        return (p, app! + "?ambito=" + ambito, String(ambito))
    }

    /// One SQL statement through a raw connection (as a tamperer or an administrator would).
    static func sql(_ indirizzo: String, _ sql: String) throws {
        try ConnessionePostgres(try IndirizzoPostgres(indirizzo)).esegui(sql)
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
    static let contesto = Contesto(data: DataContabile("2023-03-10"), atto: Testo(validando: "Det. 1"), utente: "anna", chiave: nil)

    /// Random histories on SQLite, copied to PostgreSQL and back: the same hashes on every event (the canonical
    /// bytes do not depend on the engine), the same projections, and a second copy into a ledger that holds
    /// events is refused with nothing written.
    @Test func copiaAvantiEIndietroConGliStessiHash() throws {
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
        let (_, app, _) = try ServerPostgres.nuovoAmbito()
        let pg = try Registri.apri(app)
        let esito = try sqlite.copia(in: pg)
        #expect(esito.eventi == Int64(eventi.count) && esito.testa == Catena.esadecimale(eventi.last!.hashByte))
        var copiati: [EventoRegistrato] = []
        try pg.leggiEventi { copiati.append($0) }
        #expect(copiati.map(\.hashByte) == eventi.map(\.hashByte))
        #expect(try pg.statoMemorizzato() == sqlite.statoMemorizzato())
        #expect(try Registro.digest(pg.statoMemorizzato()) == Registro.digest(sqlite.statoMemorizzato()))
        // And back, into a new file.
        let ritorno = try Registri.inizializza(cartella + "/ritorno.sqlite").registro
        _ = try pg.copia(in: ritorno)
        var tornati: [EventoRegistrato] = []
        try ritorno.leggiEventi { tornati.append($0) }
        #expect(tornati.map(\.hashByte) == eventi.map(\.hashByte))
        // A key used before the move is still recognised after it.
        if let k = eventi.first(where: { $0.chiave != nil }) {
            let righe = try pg.connessione.istruzione("SELECT count(*) FROM chiave_idempotenza WHERE chiave = ?").righe([.testo(k.chiave!)]) { s in s.intero(0) }
            #expect(righe == [1])
        }
        let testa = try pg.testa()
        #expect(throws: Registro.CopiaRifiutata.self) { try sqlite.copia(in: pg) }
        #expect(try pg.testa() == testa)
    }

    /// 16 writers at once, each on its own server connection, each trying 10 impegni of 1 € on a line that
    /// has 100 € programmed: exactly 100 accepted, every seq once, one chain that verifies, and the line's
    /// impegnato exactly its programmato (no over-commitment).
    @Test func scrittoriConcorrentiSenzaBuchiBiforcazioniNeSovraimpegni() throws {
        let (_, app, _) = try ServerPostgres.nuovoAmbito()
        let r = try Registri.apri(app)
        let linea = LineaChiave(fonte: "FNA-2023", servizio: "SAD", esercizio: 2023)
        for c: Comando in [.fonteRegistra(codice: "FNA-2023", tipo: "FNA", annualita: 2023, importo: .euro(1_000), vincolata: true, descrizione: nil),
                           .servizioRegistra(codice: "SAD", descrizione: "SAD"), .programma(linea: linea, importo: .euro(100))] {
            _ = try r.registra([Passo(comando: c, contesto: Self.contesto)])
        }
        let accettati = Mutex(0), errori = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 16) { w in
            do {
                let mio = try Registri.apri(app)
                for k in 0..<10 {
                    let c = Comando.impegna(numero: NumeroImpegno(Codice(validando: "2023/\(w)-\(k)")!), linea: linea, importo: .euro(1), creditore: "Coop",
                                            oggetto: "SAD", cig: nil, cup: nil)
                    do {
                        _ = try mio.registra([Passo(comando: c, contesto: Self.contesto)])
                        accettati.withLock { $0 += 1 }
                    } catch is Rifiuto {
                    }
                }
            } catch {
                errori.withLock { $0.append("\(error)") }
            }
        }
        #expect(errori.withLock { $0 } == [])
        #expect(accettati.withLock { $0 } == 100)
        let rapporto = try r.verifica()
        #expect(rapporto.differenze.isEmpty)
        #expect(rapporto.eventi == 103)
        #expect(try r.linea(linea)?.impegnato == 10_000)
        let seq = try r.connessione.istruzione("SELECT seq FROM evento ORDER BY seq").righe { s in s.intero(0) }
        #expect(seq == Array(1...103))
    }

    /// Append-only by the database: the application role may not update, delete or truncate events, nor move
    /// the head; an insert that leaves a gap is refused by the head's trigger; the owner is stopped by the
    /// triggers; a row changed behind the triggers' back is found by `verifica`, which names its seq.
    @Test func soloAggiunte() throws {
        let (proprietario, app, ambito) = try ServerPostgres.nuovoAmbito()
        let r = try Registri.apri(app)
        for k in 0..<5 { _ = try r.registra([Passo(comando: .servizioRegistra(codice: CodiceServizio(Codice(validando: "S\(k)")!), descrizione: "Servizio"), contesto: Self.contesto)]) }
        let s = "ambito_" + ambito.lowercased()
        for sql in ["UPDATE \(s).evento SET utente = 'x'", "DELETE FROM \(s).evento", "TRUNCATE \(s).evento", "DROP TABLE \(s).evento",
                    "UPDATE \(s).testa SET unica = false", "DROP TABLE \(s).impegno", "ALTER TABLE \(s).evento DISABLE TRIGGER evento_solo_aggiunte",
                    "INSERT INTO \(s).evento SELECT seq + 10, tipo, versione, data, registrato_il, utente, chiave, atto, payload, hash FROM \(s).evento WHERE seq = 5"] {
            #expect(throws: ErroreArchivio.self, "\(sql)") { try ServerPostgres.sql(app, sql) }
        }
        for sql in ["UPDATE \(s).evento SET utente = 'x'", "DELETE FROM \(s).evento WHERE seq = 5", "TRUNCATE \(s).evento"] {
            #expect(throws: ErroreArchivio.self, "\(sql)") { try ServerPostgres.sql(proprietario, sql) }
        }
        #expect(try r.verifica().eventi == 5)
        // The owner can still disable its triggers: the chain says which event was changed.
        try ServerPostgres.sql(proprietario, "ALTER TABLE \(s).evento DISABLE TRIGGER evento_solo_aggiunte")
        try ServerPostgres.sql(proprietario, "UPDATE \(s).evento SET utente = 'mallory' WHERE seq = 3")
        do {
            _ = try r.verifica()
            Issue.record("verifica non ha trovato l'evento alterato")
        } catch let e as ErroreIntegrita {
            #expect(e.seq == 3)
        }
    }

    /// Text that tries to leave its SQL literal or the batch's dollar-quoted block is stored as written and
    /// runs nothing: a quote after a prepended mark (one Swift `Character` with it), a dollar tag followed by a
    /// combining accent, backslashes; and text with a NUL byte is refused with nothing written.
    /// Values travel bound, never inside SQL text, so nothing depends on a session setting: the same holds with
    /// `standard_conforming_strings` off (as a pooling proxy may leave a session), where a backslash escapes a quote.
    @Test(arguments: [true, false]) func testoCheProvaAUscireDalLetteraleRestaTesto(conforme: Bool) throws {
        let (_, app, _) = try ServerPostgres.nuovoAmbito()
        let r = try Registri.apri(app)
        if !conforme { try r.connessione.esegui("SET standard_conforming_strings = off") }
        let linea = LineaChiave(fonte: "F", servizio: "S", esercizio: 2023)
        let insidie = ["x\u{0D4E}'); UPDATE fonte SET assegnato_centesimi = 0; --", "$fondi$\u{0301}; DROP TABLE evento; $fondi$",
                       "a\\'b\\\\", "e\u{0301}'||'", "O'Brien & C.", "fine\\", "\\'); UPDATE fonte SET assegnato_centesimi = 0; --"]
        for c: Comando in [.fonteRegistra(codice: "F", tipo: "FNA", annualita: 2023, importo: .euro(1_000), vincolata: true, descrizione: nil),
                           .servizioRegistra(codice: "S", descrizione: "SAD"), .programma(linea: linea, importo: .euro(100))] {
            _ = try r.registra([Passo(comando: c, contesto: Self.contesto)])
        }
        let passi = insidie.enumerated().map { k, t in
            Passo(comando: .impegna(numero: NumeroImpegno(Codice(validando: "2023/\(k)")!), linea: linea, importo: .euro(1), creditore: Testo(validando: t)!,
                                    oggetto: Testo(validando: t)!, cig: nil, cup: nil), contesto: Self.contesto)
        }
        _ = try r.registra(passi)
        for (k, t) in insidie.enumerated() {
            #expect(try r.impegno("2023/\(k)")?.creditore == Testo(validando: t)!.testo)
        }
        #expect(try r.fonte("F")?.assegnato == 100_000)
        // A search for text with a backslash, a quote, % and _ finds exactly what holds it, as typed.
        #expect(try r.cerca(RicercaImpegni(testo: "fine\\")).impegni.map(\.numero) == ["2023/5"])
        #expect(try r.cerca(RicercaImpegni(testo: "a\\'b")).impegni.map(\.numero) == ["2023/2"])
        #expect(try r.cerca(RicercaImpegni(testo: "%")).totale == 0)
        #expect(try r.cerca(RicercaImpegni(testo: "!")).totale == 0)
        #expect(try r.verifica().differenze.isEmpty)
        // The sign-in form's name is not validated: with a NUL byte and a quote after a prepended mark it is
        // refused by the server (NUL) or stored as text, never run.
        let prima = try r.testa()
        #expect(throws: ErroreArchivio.self) { try r.accedi(nome: "a\u{0}b", password: "una frase lunga almeno dodici") }
        #expect(try r.accedi(nome: "x\u{0D4E}'); DELETE FROM utente; --", password: "una frase lunga almeno dodici") == .rifiutato)
        let righe = try r.connessione.istruzione("SELECT nome FROM accesso_fallito").righe { s in s.testo(0) }
        #expect(righe == ["x\u{0D4E}'); DELETE FROM utente; --"])
        #expect(try r.testa() == prima)
    }

    /// A read-only opening cannot write, and an Ambito without its ledger is named in the message.
    @Test func letturaEAmbitoAssente() throws {
        let (_, app, _) = try ServerPostgres.nuovoAmbito()
        let lettore = try Registri.apri(app, modo: .lettura)
        #expect(throws: ErroreArchivio.self) { try lettore.registra([Passo(comando: .servizioRegistra(codice: "S", descrizione: "S"), contesto: Self.contesto)]) }
        #expect(try lettore.testa().seq == 0)
        #expect(throws: Registro.ErroreApertura.ambitoAssente("NESSUNO", try IndirizzoPostgres(ServerPostgres.app! + "?ambito=NESSUNO").descrizione)) {
            try Registri.apri(ServerPostgres.app! + "?ambito=NESSUNO")
        }
    }
}
