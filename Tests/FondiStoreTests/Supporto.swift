import CSQLite
import Fondi
@testable import FondiPostgres
import FondiStore
import FondiTesting
import Foundation
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The engine these tests run on: SQLite, or PostgreSQL when `FONDI_PROVA_MOTORE=postgres` (Scripts/test runs
/// this whole suite a second time that way, against its throwaway cluster: one conformance suite, two
/// engines; ADR 0020).
enum MotoreProva {
    static let ambiente = ProcessInfo.processInfo.environment
    static let postgres = ambiente["FONDI_PROVA_MOTORE"] == "postgres"
    static var proprietario: String { ambiente["FONDI_PG_PROPRIETARIO"]! }
    static var app: String { ambiente["FONDI_PG_APP"]! }
}

/// A temporary ledger: a file removed with its directory when the test ends, or a new Ambito's schema
/// (created by the owner role, used by the application role, dropped at the end).
final class RegistroTemporaneo {
    let cartella: String
    /// The file, or the application's address of the Ambito.
    let percorso: String
    let registro: Registro
    let ambito: String?

    init() throws {
        var modello = Array("/tmp/fondi-test-XXXXXX".utf8CString)
        let p = modello.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        cartella = String(cString: p!)
        let orologio: @Sendable () -> String = { "2026-01-01T00:00:00.000Z" }
        if MotoreProva.postgres {
            let ambito = "T" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16)
            self.ambito = ambito
            _ = try Registro.inizializza(postgres: try IndirizzoPostgres(MotoreProva.proprietario + "?ambito=" + ambito))
            percorso = MotoreProva.app + "?ambito=" + ambito
            registro = try Registro.apri(postgres: try IndirizzoPostgres(percorso), orologio: orologio)
        } else {
            ambito = nil
            percorso = cartella + "/registro.sqlite"
            registro = try Registro.inizializza(percorso: percorso, orologio: orologio).registro
        }
    }

    deinit {
        if let ambito, let c = try? ConnessionePostgres(try IndirizzoPostgres(MotoreProva.proprietario + "?ambito=" + ambito)) {
            try? c.esegui("DROP SCHEMA \"ambito_\(ambito.lowercased())\" CASCADE")
        }
        for f in ["registro.sqlite", "registro.sqlite-wal", "registro.sqlite-shm", "copia.sqlite", "copia.sqlite-wal", "copia.sqlite-shm"] {
            unlink(cartella + "/" + f)
        }
        rmdir(cartella)
    }

    /// One command through the store.
    @discardableResult
    func esegui(_ c: Comando, _ data: String, atto: String? = "Atto", chiave: String? = nil) throws -> [EventoRegistrato] {
        try registro.registra([Passo(comando: c, contesto: Contesto(data: DataContabile(data), atto: atto.flatMap { Testo(validando: $0) }, utente: "test", chiave: chiave.map(cod)))])
            .flatMap(\.eventi)
    }

    /// What must not change when a command is refused: event count, chain head, every projection.
    func fotografia() throws -> (Int64, [UInt8], Stato) {
        let t = try registro.testa()
        return (t.seq, t.hash, try registro.statoMemorizzato())
    }
}

/// Runs SQL on a file with a raw connection, bypassing Fondi: how a tamperer would edit the file. On
/// PostgreSQL, as the schema's owner, with SQLite's idioms of these tests in PostgreSQL's words (dropping
/// the append-only trigger is disabling it; a zero blob; a blob without its first byte).
func sqlGrezzo(_ percorso: String, _ sql: String) -> (codice: Int32, messaggio: String) {
    if IndirizzoPostgres.riconosce(percorso) {
        do {
            let c = try ConnessionePostgres(try IndirizzoPostgres(percorso.replacingOccurrences(of: MotoreProva.app, with: MotoreProva.proprietario)))
            for istruzione in sql.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) where !istruzione.isEmpty {
                let tradotta = istruzione
                    .replacingOccurrences(of: "DROP TRIGGER IF EXISTS evento_append_only_update", with: "ALTER TABLE evento DISABLE TRIGGER evento_solo_aggiunte")
                    .replacingOccurrences(of: "DROP TRIGGER evento_append_only_update", with: "ALTER TABLE evento DISABLE TRIGGER evento_solo_aggiunte")
                    .replacingOccurrences(of: "zeroblob(32)", with: "decode(repeat('00', 32), 'hex')")
                    .replacingOccurrences(of: "substr(dati, 2)", with: "substring(dati from 2)")
                try c.esegui(tradotta)
            }
            return (0, "")
        } catch let e as ErroreArchivio {
            return (e.codice, e.dettaglio)
        } catch {
            return (1, "\(error)")
        }
    }
    var db: OpaquePointer?
    guard sqlite3_open(percorso, &db) == SQLITE_OK else { return (-1, "open") }
    defer { sqlite3_close(db) }
    var errore: UnsafeMutablePointer<CChar>?
    let rc = sqlite3_exec(db, sql, nil, nil, &errore)
    let messaggio = errore.map { String(cString: $0) } ?? ""
    sqlite3_free(errore)
    return (rc, messaggio)
}

let lineaSAD = LineaChiave(fonte: "FNA-2023", servizio: "SAD", esercizio: 2023)
let lineaCONTR = LineaChiave(fonte: "FNA-2023", servizio: "CONTR", esercizio: 2023)

/// The ledger of DOMAIN §5 before its closing.
func preparaEsempio(_ t: RegistroTemporaneo) throws {
    try t.esegui(.fonteRegistra(codice: "FNA-2023", tipo: "FNA", annualita: 2023, importo: .euro(100_000), vincolata: true, descrizione: nil),
                 "2023-01-10", atto: "DGR 1/2023")
    try t.esegui(.servizioRegistra(codice: "SAD", descrizione: "SAD"), "2023-01-10", atto: nil)
    try t.esegui(.servizioRegistra(codice: "CONTR", descrizione: "Contributi"), "2023-01-10", atto: nil)
    try t.esegui(.programma(linea: lineaSAD, importo: .euro(60_000)), "2023-01-15")
    try t.esegui(.programma(linea: lineaCONTR, importo: .euro(40_000)), "2023-01-15")
    try t.esegui(.impegna(numero: "2023/1", linea: lineaSAD, importo: .euro(60_000), creditore: "Coop", oggetto: "SAD", cig: nil, cup: nil), "2023-02-01")
    try t.esegui(.impegna(numero: "2023/2", linea: lineaCONTR, importo: .euro(32_000), creditore: "Benef.", oggetto: "Contr.", cig: nil, cup: nil), "2023-02-01")
    try t.esegui(.liquida(numero: "L1", impegno: "2023/1", importo: .euro(20_000), documento: nil), "2023-06-01")
    try t.esegui(.paga(mandato: "M1", liquidazione: "L1", importo: .euro(20_000)), "2023-06-10", atto: nil)
    try t.esegui(.liquida(numero: "L2", impegno: "2023/2", importo: .euro(25_000), documento: nil), "2023-06-01")
    try t.esegui(.paga(mandato: "M2", liquidazione: "L2", importo: .euro(25_000)), "2023-06-10", atto: nil)
}
