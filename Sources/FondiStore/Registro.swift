import CSQLite
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Fondi

/// The ledger on one SQLite file: events, their hash chain, and the projections kept in step with them.
///
/// Every write is one `BEGIN IMMEDIATE` transaction: load the entities the command touches, decide, append
/// the events with their chain hashes, write the changed projections back, commit (ADR 0004). Two processes
/// writing to the same file serialise on SQLite's write lock; the second waits up to `attesaBloccoMillisecondi`.
public final class Registro {
    let connessione: Connessione
    public let percorso: String
    /// Gives `registrato_il` (UTC); injected so tests are reproducible.
    let orologio: @Sendable () -> String

    /// How long a writer waits for another process's write transaction before giving up. A command's
    /// transaction lasts milliseconds; five seconds covers a large import by another process.
    public static let attesaBloccoMillisecondi: Int32 = 5_000

    /// Why a ledger cannot be opened.
    public enum ErroreApertura: Error, Equatable, CustomStringConvertible {
        case assente(String)
        case nonRegistro(String)
        case versioneFutura(String, Int)

        public var description: String {
            switch self {
            case let .assente(p): "registro '\(p)' inesistente: crealo con 'fondi init' (oppure indica --db o FONDI_DB)"
            case let .nonRegistro(p): "il file '\(p)' non è un registro Fondi: crealo con 'fondi init' in un file nuovo"
            case let .versioneFutura(p, v): "il registro '\(p)' ha lo schema \(v), più recente di questo programma (\(Schema.versione)): aggiorna fondi"
            }
        }
    }

    init(connessione: Connessione, percorso: String, orologio: @escaping @Sendable () -> String) {
        self.connessione = connessione
        self.percorso = percorso
        self.orologio = orologio
    }

    /// Creates the ledger at `percorso`, or opens it unchanged when it exists (`fondi init` is idempotent).
    /// - Returns: the ledger and whether it was created now.
    public static func inizializza(
        percorso: String, orologio: @escaping @Sendable () -> String = Orologio.adesso
    ) throws -> (registro: Registro, creato: Bool) {
        let c = try Connessione(percorso: percorso, crea: true)
        try configura(c)
        try c.esegui("BEGIN IMMEDIATE")
        do {
            let versione = try versioneSchema(c)
            if versione > Schema.versione { throw ErroreApertura.versioneFutura(percorso, versione) }
            if versione == 0, try tabelleUtente(c) > 0 { throw ErroreApertura.nonRegistro(percorso) }
            for (i, sql) in Schema.migrazioni.enumerated() where i >= versione {
                try c.esegui(sql)
            }
            try c.esegui("PRAGMA user_version = \(Schema.versione)")
            try c.esegui("COMMIT")
            return (Registro(connessione: c, percorso: percorso, orologio: orologio), versione == 0)
        } catch {
            try? c.esegui("ROLLBACK")
            throw error
        }
    }

    /// Opens an existing ledger; refuses a missing file or one that is not a Fondi ledger.
    public static func apri(percorso: String, orologio: @escaping @Sendable () -> String = Orologio.adesso) throws -> Registro {
        if percorso != ":memory:" {
            var info = stat()
            guard stat(percorso, &info) == 0 else { throw ErroreApertura.assente(percorso) }
        }
        let c = try Connessione(percorso: percorso, crea: false)
        try configura(c)
        let versione: Int
        do { versione = try versioneSchema(c) } catch { throw ErroreApertura.nonRegistro(percorso) }
        guard versione > 0 else { throw ErroreApertura.nonRegistro(percorso) }
        guard versione <= Schema.versione else { throw ErroreApertura.versioneFutura(percorso, versione) }
        guard versione == Schema.versione else {
            // Older schema: migrate forward in one transaction (frozen migrations, ADR 0002).
            return try inizializza(percorso: percorso, orologio: orologio).registro
        }
        return Registro(connessione: c, percorso: percorso, orologio: orologio)
    }

    /// Connection settings, all explicit (ADR 0001): WAL so readers never block the writer; synchronous=FULL
    /// so a commit that returned survives a power cut; foreign keys on; a bounded wait on the write lock.
    static func configura(_ c: Connessione) throws(ErroreArchivio) {
        sqlite3_busy_timeout(c.db, attesaBloccoMillisecondi)
        try c.esegui("PRAGMA journal_mode = WAL")
        try c.esegui("PRAGMA synchronous = FULL")
        try c.esegui("PRAGMA foreign_keys = ON")
    }

    static func versioneSchema(_ c: Connessione) throws(ErroreArchivio) -> Int {
        Int(try c.istruzione("PRAGMA user_version").righe { s in s.intero(0) }.first ?? 0)
    }

    static func tabelleUtente(_ c: Connessione) throws(ErroreArchivio) -> Int {
        Int(try c.istruzione("SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'").righe { s in s.intero(0) }.first ?? 0)
    }

    // MARK: - Consistent reads

    /// Runs reads in one read transaction, so a report or a verification sees a single committed state even
    /// while another process appends (WAL gives each reader its snapshot). Nested calls join the outer one.
    func inLettura<T>(_ corpo: () throws -> T) throws -> T {
        guard sqlite3_get_autocommit(connessione.db) != 0 else { return try corpo() }
        try connessione.esegui("BEGIN")
        defer { try? connessione.esegui("COMMIT") }
        return try corpo()
    }

    // MARK: - Chain head

    /// The last event's seq and hash; (0, 32 zero bytes) for an empty ledger (DOMAIN §6).
    public func testa() throws(ErroreArchivio) -> (seq: Int64, hash: [UInt8]) {
        let r = try connessione.istruzione("SELECT seq, hash FROM evento ORDER BY seq DESC LIMIT 1").righe { s in (s.intero(0), s.byte(1)) }
        return r.first ?? (0, Catena.hashZero)
    }
}
