import CSQLite
import Fondi
import FondiStore
import FondiTesting
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A temporary ledger file, removed with its directory when the test ends.
final class RegistroTemporaneo {
    let cartella: String
    let percorso: String
    let registro: Registro

    init() throws {
        var modello = Array("/tmp/fondi-test-XXXXXX".utf8CString)
        let p = modello.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        cartella = String(cString: p!)
        percorso = cartella + "/registro.sqlite"
        registro = try Registro.inizializza(percorso: percorso, orologio: { "2026-01-01T00:00:00.000Z" }).registro
    }

    deinit {
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

/// Runs SQL on a file with a raw connection, bypassing Fondi: how a tamperer would edit the file.
func sqlGrezzo(_ percorso: String, _ sql: String) -> (codice: Int32, messaggio: String) {
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
