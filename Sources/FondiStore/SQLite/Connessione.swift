import CSQLite
import Fondi
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A failure of the storage layer. `description` is for the operator, in Italian, and never shows SQL;
/// `dettaglio` keeps SQLite's own message for logs and tests.
public struct ErroreArchivio: Error, Equatable, Sendable, CustomStringConvertible {
    public let codice: Int32
    public let messaggio: String
    public let dettaglio: String

    public var description: String { messaggio }

    /// A failure that a retry may not meet: the write lock held by another writer past the wait, or a
    /// read stopped at the time limit (HTTP 503 with Retry-After).
    public var transitorio: Bool { [SQLITE_BUSY, SQLITE_LOCKED, SQLITE_INTERRUPT].contains(codice & 0xFF) }

    init(codice: Int32, messaggio: String, dettaglio: String) {
        self.codice = codice
        self.messaggio = messaggio
        self.dettaglio = dettaglio
    }

    init(codice: Int32, db: OpaquePointer?) {
        let dettaglio = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(codice))
        let messaggio: String
        switch codice & 0xFF {
        case SQLITE_BUSY, SQLITE_LOCKED: messaggio = "il registro è bloccato da un altro processo: riprova tra poco"
        case SQLITE_FULL: messaggio = "spazio su disco esaurito: nessuna modifica è stata scritta"
        case SQLITE_READONLY: messaggio = "il registro è in sola lettura"
        case SQLITE_CANTOPEN: messaggio = "impossibile aprire il file del registro"
        case SQLITE_CORRUPT, SQLITE_NOTADB: messaggio = "il file del registro è danneggiato o non è un registro Fondi"
        case SQLITE_INTERRUPT: messaggio = "lettura interrotta: ha superato il tempo massimo concesso a una richiesta"
        case SQLITE_CONSTRAINT: messaggio = "il registro ha rifiutato una scrittura incoerente (\(dettaglio)): nessuna modifica è stata scritta"
        default: messaggio = "errore dell'archivio (\(dettaglio))"
        }
        self.init(codice: codice, messaggio: messaggio, dettaglio: dettaglio)
    }
}

/// A thin wrapper of one SQLite connection (the C API; ADR 0001). Not thread-safe: one per process.
final class ConnessioneSQLite: Connessione {
    var motore: Motore { .sqlite }
    let db: OpaquePointer
    private var cache: [String: IstruzioneSQLite] = [:]

    /// Opens (or creates, when `crea`) the file at `percorso`; `":memory:"` gives an in-memory database.
    convenience init(percorso: String, crea: Bool) throws(ErroreArchivio) {
        try self.init(percorso: percorso, flags: SQLITE_OPEN_READWRITE | (crea ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX)
    }

    /// Opens read-only: SQLite writes nothing to the file. `immutabile` also skips locking and the WAL
    /// files (for a file on read-only media that no one is writing).
    convenience init(percorso: String, solaLettura: Bool, immutabile: Bool) throws(ErroreArchivio) {
        var uri = "file:"
        for b in percorso.utf8 {
            switch b {
            case UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: "%"), 0x80...0xFF:
                uri += "%" + String(b, radix: 16, uppercase: true)
            default: uri.unicodeScalars.append(Unicode.Scalar(b))
            }
        }
        if percorso == ":memory:" { uri = ":memory:" } else { uri += immutabile ? "?mode=ro&immutable=1" : "?mode=ro" }
        try self.init(percorso: uri, flags: SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI)
    }

    private init(percorso: String, flags: Int32) throws(ErroreArchivio) {
        var handle: OpaquePointer?
        let rc = sqlite3_open_v2(percorso, &handle, flags, nil)
        guard rc == SQLITE_OK, let handle else {
            let e = ErroreArchivio(codice: rc, db: handle)
            sqlite3_close_v2(handle)
            throw e
        }
        db = handle
        sqlite3_extended_result_codes(db, 1)
    }

    deinit {
        cache.removeAll()
        sqlite3_close_v2(db)
        scadenza?.deallocate()
    }

    /// The monotonic instant (nanoseconds) past which a statement of this connection is interrupted.
    private var scadenza: UnsafeMutablePointer<UInt64>?

    static func adesso() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }

    /// Interrupts any statement still running `secondi` from now (SQLITE_INTERRUPT): a bound on the time a
    /// request may hold a connection. SQLite calls the check every 1,000 virtual-machine steps, so a short
    /// statement is never interrupted and a long scan stops within microseconds of the deadline.
    func limitaDurata(secondi: Double) {
        if scadenza == nil { scadenza = .allocate(capacity: 1) }
        scadenza!.pointee = Self.adesso() &+ UInt64(max(0, secondi) * 1_000_000_000)
        sqlite3_progress_handler(db, 1_000, { p in
            guard let p else { return 0 }
            return ConnessioneSQLite.adesso() > p.assumingMemoryBound(to: UInt64.self).pointee ? 1 : 0
        }, scadenza)
    }

    func esegui(_ sql: String) throws(ErroreArchivio) {
        var errore: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(db, sql, nil, nil, &errore)
        if let errore { sqlite3_free(errore) }
        guard rc == SQLITE_OK else { throw ErroreArchivio(codice: rc, db: db) }
    }

    /// A prepared statement, cached by its SQL text and reset before it is handed out again.
    func istruzione(_ sql: String) throws(ErroreArchivio) -> any Istruzione {
        if let s = cache[sql] {
            s.reset()
            return s
        }
        let s = try IstruzioneSQLite(connessione: self, sql: sql)
        // Bounded: statements whose text carries a varying shape (an IN list's length) must not grow the cache
        // for ever. Dropping it only costs a prepare; a statement still held by a caller lives on until released.
        if cache.count >= Limiti.istruzioniInCache { cache.removeAll(keepingCapacity: true) }
        cache[sql] = s
        return s
    }

    var modifiche: Int { Int(sqlite3_changes(db)) }

    var inTransazione: Bool { sqlite3_get_autocommit(db) == 0 }
    func iniziaScrittura() throws(ErroreArchivio) { try esegui("BEGIN IMMEDIATE") }
    func iniziaLettura() throws(ErroreArchivio) { try esegui("BEGIN") }
    func conferma() throws(ErroreArchivio) { try esegui("COMMIT") }
    func annulla() { try? esegui("ROLLBACK") }
}

/// A prepared statement. Columns and parameters are 0-based here (SQLite binds from 1).
final class IstruzioneSQLite: Istruzione {
    let handle: OpaquePointer
    unowned let connessione: ConnessioneSQLite

    init(connessione: ConnessioneSQLite, sql: String) throws(ErroreArchivio) {
        var h: OpaquePointer?
        let rc = sqlite3_prepare_v3(connessione.db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &h, nil)
        guard rc == SQLITE_OK, let h else { throw ErroreArchivio(codice: rc, db: connessione.db) }
        handle = h
        self.connessione = connessione
    }

    deinit { sqlite3_finalize(handle) }

    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    // SQLITE_TRANSIENT: SQLite copies the bytes before bind returns.
    private static let transitorio = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func lega(_ valori: [ValoreSQL]) {
        for (i, v) in valori.enumerated() { lega(v, at: i) }
    }

    func lega(_ v: ValoreSQL, at i: Int) {
        let p = Int32(i + 1)
        switch v {
        case .nullo: sqlite3_bind_null(handle, p)
        case let .intero(n): sqlite3_bind_int64(handle, p, n)
        case let .testo(s): sqlite3_bind_text(handle, p, s, Int32(s.utf8.count), Self.transitorio)  // every byte, NUL included
        case let .blob(b): b.withUnsafeBytes { _ = sqlite3_bind_blob(handle, p, $0.baseAddress, Int32($0.count), Self.transitorio) }
        }
    }

    /// Steps once: true when a row is available.
    func passo() throws(ErroreArchivio) -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        let e = ErroreArchivio(codice: rc, db: connessione.db)
        sqlite3_reset(handle)
        throw e
    }

    /// Runs a statement that returns no rows.
    func esegui(_ valori: [ValoreSQL]) throws(ErroreArchivio) {
        reset()
        lega(valori)
        while try passo() {}
        sqlite3_reset(handle)
    }

    func eseguiUnaRiga(_ valori: [ValoreSQL], descrizione: @autoclosure () -> String) throws(ErroreArchivio) {
        try esegui(valori)
        let n = connessione.modifiche
        guard n == 1 else { throw ErroreArchivio.unaRiga(descrizione(), righe: n) }
    }

    /// Runs a query and maps each row.
    func righe<T>(_ valori: [ValoreSQL], mappa: (any Istruzione) throws(ErroreArchivio) -> T) throws(ErroreArchivio) -> [T] {
        reset()
        lega(valori)
        var out: [T] = []
        while try passo() { out.append(try mappa(self)) }
        sqlite3_reset(handle)
        return out
    }

    func intero(_ c: Int) -> Int64 { sqlite3_column_int64(handle, Int32(c)) }
    func nullo(_ c: Int) -> Bool { sqlite3_column_type(handle, Int32(c)) == SQLITE_NULL }
    func testo(_ c: Int) -> String {
        guard let p = sqlite3_column_text(handle, Int32(c)) else { return "" }
        let n = Int(sqlite3_column_bytes(handle, Int32(c)))
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }
    /// The column's bytes without copying them; valid until the next step or reset.
    func grezzo(_ c: Int) -> UnsafeBufferPointer<UInt8> {
        let n = Int(sqlite3_column_bytes(handle, Int32(c)))
        guard n > 0, let p = sqlite3_column_blob(handle, Int32(c)) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: p.assumingMemoryBound(to: UInt8.self), count: n)
    }
    func byte(_ c: Int) -> [UInt8] {
        let n = Int(sqlite3_column_bytes(handle, Int32(c)))
        guard n > 0, let p = sqlite3_column_blob(handle, Int32(c)) else { return [] }
        return Array(UnsafeRawBufferPointer(start: p, count: n))
    }
}
