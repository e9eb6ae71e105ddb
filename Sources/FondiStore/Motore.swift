/// The engine boundary (ADR 0020). Everything above it — the chain and canonical bytes, the working set a
/// command loads, deciding, appending, projections, idempotency keys, replay, snapshots, fingerprints,
/// date-filtered views, users — is `Registro`, written once in the SQL both engines speak. Below it, an
/// engine gives a connection, prepared statements, its transactions and its errors: `ConnessioneSQLite`
/// here, `ConnessionePostgres` in FondiPostgres. Neither the domain nor a front end sees which one it is.
package enum Motore: Sendable {
    case sqlite
    case postgres
}

/// One connection to a ledger. Not thread-safe: one user at a time (a `Registro` is used by one thread).
package protocol Connessione: AnyObject {
    var motore: Motore { get }
    /// Runs SQL with no parameters and no rows (DDL, administration).
    func esegui(_ sql: String) throws(ErroreArchivio)
    /// A prepared statement for `sql` (`?` or `?N` parameters), cached by its text.
    func istruzione(_ sql: String) throws(ErroreArchivio) -> any Istruzione
    /// True inside a transaction begun by one of the calls below.
    var inTransazione: Bool { get }
    /// Begins the one write transaction of a command: every other writer of this ledger waits until it ends
    /// (SQLite's write lock; PostgreSQL's head row `FOR UPDATE`), so seq and chain follow commit order.
    func iniziaScrittura() throws(ErroreArchivio)
    /// Begins a read transaction: every statement until `conferma` sees one committed state.
    func iniziaLettura() throws(ErroreArchivio)
    func conferma() throws(ErroreArchivio)
    /// Rolls back; never throws (the transaction is gone either way).
    func annulla()
    /// Interrupts any statement still running `secondi` from now (a transient `ErroreArchivio`).
    func limitaDurata(secondi: Double)
}

/// A prepared statement. Columns and parameters are 0-based.
package protocol Istruzione: AnyObject {
    /// Clears bindings and any result being read.
    func reset()
    func lega(_ valori: [ValoreSQL])
    /// Steps once: true when a row is available.
    func passo() throws(ErroreArchivio) -> Bool
    /// Runs a statement that returns no rows. Inside a write transaction an engine may hold it back and send
    /// it with others (PostgreSQL does); it is applied before any later read and before the commit, and a
    /// failure fails the transaction.
    func esegui(_ valori: [ValoreSQL]) throws(ErroreArchivio)
    /// Runs an UPDATE that must change exactly one row (a projection written back), else the transaction
    /// fails with an `ErroreArchivio` naming `descrizione` and the rows changed. SQLite makes the description
    /// only when the count is wrong (a write-back runs this once per entity); PostgreSQL keeps it with the
    /// batched write until the counts come back.
    func eseguiUnaRiga(_ valori: [ValoreSQL], descrizione: @autoclosure () -> String) throws(ErroreArchivio)
    /// Runs a query and maps each row.
    func righe<T>(_ valori: [ValoreSQL], mappa: (any Istruzione) throws(ErroreArchivio) -> T) throws(ErroreArchivio) -> [T]

    func intero(_ c: Int) -> Int64
    func nullo(_ c: Int) -> Bool
    func testo(_ c: Int) -> String
    /// The column's bytes without copying them; valid until the next step or reset.
    func grezzo(_ c: Int) -> UnsafeBufferPointer<UInt8>
    func byte(_ c: Int) -> [UInt8]
}

extension Istruzione {
    package func esegui() throws(ErroreArchivio) { try esegui([]) }
    package func righe<T>(mappa: (any Istruzione) throws(ErroreArchivio) -> T) throws(ErroreArchivio) -> [T] { try righe([], mappa: mappa) }
    package func testoOpzionale(_ c: Int) -> String? { nullo(c) ? nil : testo(c) }
}

/// A value bound to a statement parameter.
package enum ValoreSQL: Sendable {
    case nullo
    case intero(Int64)
    case testo(String)
    case blob([UInt8])

    static func opzionale(_ s: String?) -> ValoreSQL { s.map(ValoreSQL.testo) ?? .nullo }
}

extension ErroreArchivio {
    /// Codes shared by both engines (SQLite's primary result codes, which `transitorio` and the front ends
    /// already know): an engine maps its own failures onto them.
    package static let codiceOccupato: Int32 = 5
    package static let codiceInterrotto: Int32 = 9
    package static let codiceVincolo: Int32 = 19
    package static let codiceNonAperto: Int32 = 14
    package static let codiceErrore: Int32 = 1

    /// An UPDATE that changed `righe` rows instead of one.
    package static func unaRiga(_ descrizione: String, righe: Int) -> ErroreArchivio {
        ErroreArchivio(codice: 267, messaggio: "il registro ha rifiutato una scrittura incoerente (\(descrizione): \(righe) righe aggiornate invece di una): nessuna modifica è stata scritta",
                       dettaglio: "update \(descrizione)")
    }

    package static func motore(codice: Int32, messaggio: String, dettaglio: String) -> ErroreArchivio {
        ErroreArchivio(codice: codice, messaggio: messaggio, dettaglio: dettaglio)
    }
}
