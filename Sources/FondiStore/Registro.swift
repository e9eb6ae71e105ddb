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
        case cartella(String)
        case solaLetturaDaMigrare(String)

        public var description: String {
            switch self {
            case let .assente(p): "registro '\(p)' inesistente: crealo con 'fondi init' (oppure indica --db o FONDI_DB)"
            case let .nonRegistro(p): "il file '\(p)' non è un registro Fondi: crealo con 'fondi init' in un file nuovo"
            case let .versioneFutura(p, v): "il registro '\(p)' ha lo schema \(v), più recente di questo programma (\(Schema.versione)): aggiorna fondi"
            case let .cartella(p): "'\(p)' è una cartella, non un registro: indica il file del registro"
            case let .solaLetturaDaMigrare(p): "il registro '\(p)' è di una versione precedente e va aggiornato, ma è in sola lettura: aprilo una volta da una copia scrivibile"
            }
        }
    }

    /// How a command uses the ledger. A read never writes a byte, never creates a file, and works on a
    /// read-only file or folder (an auditor's copy); a write opens the file read-write.
    public enum Modo: Sendable {
        case lettura
        case scrittura
    }

    init(connessione: Connessione, percorso: String, orologio: @escaping @Sendable () -> String) {
        self.connessione = connessione
        self.percorso = percorso
        self.orologio = orologio
    }

    /// Creates the ledger at `percorso`, or opens it unchanged when it exists (`fondi init` is idempotent).
    /// A file that is not a Fondi ledger is refused before anything is written to it, and an existing
    /// ledger on a read-only file or folder is opened read-only: `init` succeeds and changes nothing.
    /// - Returns: the ledger and whether it was created now.
    public static func inizializza(
        percorso: String, orologio: @escaping @Sendable () -> String = Orologio.adesso
    ) throws -> (registro: Registro, creato: Bool) {
        if percorso != ":memory:", let info = try Self.stato(percorso) {
            if info.cartella { throw ErroreApertura.cartella(percorso) }
            if info.byte > 0 {
                // An existing file: it must already be a Fondi ledger, checked without writing.
                let lettore = try apri(percorso: percorso, modo: .lettura, orologio: orologio)
                if try versioneSchema(lettore.connessione) == Schema.versione || access(percorso, W_OK) != 0 {
                    return (lettore, false)
                }
                return (try apri(percorso: percorso, modo: .scrittura, orologio: orologio), false)
            }
        }
        let c = try Connessione(percorso: percorso, crea: true)
        try configura(c)
        try c.esegui("BEGIN IMMEDIATE")
        do {
            let versione = try versioneSchema(c)
            if versione > Schema.versione { throw ErroreApertura.versioneFutura(percorso, versione) }
            if versione == 0, try tabelleUtente(c) > 0 { throw ErroreApertura.nonRegistro(percorso) }
            try migra(c, da: versione)
            try c.esegui("COMMIT")
            return (Registro(connessione: c, percorso: percorso, orologio: orologio), versione == 0)
        } catch {
            try? c.esegui("ROLLBACK")
            throw error
        }
    }

    static func migra(_ c: Connessione, da versione: Int) throws(ErroreArchivio) {
        for (i, sql) in Schema.migrazioni.enumerated() where i >= versione {
            try c.esegui(sql)
        }
        try c.esegui("PRAGMA user_version = \(Schema.versione)")
    }

    /// Size and kind of the file at `percorso`, or nil when there is none.
    static func stato(_ percorso: String) throws -> (byte: Int64, cartella: Bool)? {
        var info = stat()
        guard stat(percorso, &info) == 0 else { return nil }
        return (Int64(info.st_size), (info.st_mode & S_IFMT) == S_IFDIR)
    }

    /// Opens an existing ledger; refuses a missing file or one that is not a Fondi ledger, having written
    /// nothing to it. `.lettura` opens read-only (and, on a read-only folder where SQLite cannot create its
    /// shared-memory file, as an immutable file); `.scrittura` migrates an older schema in one transaction.
    public static func apri(
        percorso: String, modo: Modo = .scrittura, orologio: @escaping @Sendable () -> String = Orologio.adesso
    ) throws -> Registro {
        if percorso != ":memory:" {
            guard let info = try Self.stato(percorso) else { throw ErroreApertura.assente(percorso) }
            if info.cartella { throw ErroreApertura.cartella(percorso) }
            if info.byte == 0 { throw ErroreApertura.nonRegistro(percorso) }
            // Not opened here with fopen to look at its header: closing any descriptor of the file drops every
            // POSIX lock this process holds on it, those of the server's other connections included, and another
            // process could then checkpoint and truncate the WAL under them (a malformed file). SQLite itself,
            // read-only, tells a file that is not a database (SQLITE_NOTADB) below, writing nothing.
        }
        // First look, read-only: is it a Fondi ledger, and of which schema? Nothing is written.
        let lettore: Connessione
        let versione: Int
        do {
            (lettore, versione) = try Self.apriInLettura(percorso)
        } catch let e as ErroreApertura {
            throw e
        } catch {
            throw ErroreApertura.nonRegistro(percorso)
        }
        guard versione <= Schema.versione else { throw ErroreApertura.versioneFutura(percorso, versione) }
        if modo == .lettura {
            if versione == Schema.versione { return Registro(connessione: lettore, percorso: percorso, orologio: orologio) }
            // An older ledger is migrated in place by the first command that opens it writable (DOMAIN §7).
            guard percorso != ":memory:", access(percorso, W_OK) == 0 else { throw ErroreApertura.solaLetturaDaMigrare(percorso) }
            _ = try apri(percorso: percorso, modo: .scrittura, orologio: orologio)
            return Registro(connessione: try Self.apriInLettura(percorso).0, percorso: percorso, orologio: orologio)
        }
        let c = try Connessione(percorso: percorso, crea: false)
        try configura(c)
        if versione < Schema.versione {
            // Older schema: migrate forward in one transaction (frozen migrations, ADR 0002).
            try c.esegui("BEGIN IMMEDIATE")
            do {
                try migra(c, da: try versioneSchema(c))
                try c.esegui("COMMIT")
            } catch {
                try? c.esegui("ROLLBACK")
                throw error
            }
        }
        return Registro(connessione: c, percorso: percorso, orologio: orologio)
    }


    /// Opens read-only and reads the schema version of a Fondi ledger (one with `meta` and `evento`).
    static func apriInLettura(_ percorso: String) throws -> (Connessione, Int) {
        func prova(_ immutabile: Bool) throws -> (Connessione, Int) {
            let c = try Connessione(percorso: percorso, solaLettura: true, immutabile: immutabile)
            sqlite3_busy_timeout(c.db, attesaBloccoMillisecondi)
            let tabelle = try c.istruzione("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('meta', 'evento')")
                .righe { s in s.intero(0) }.first ?? 0
            guard tabelle == 2 else { throw ErroreApertura.nonRegistro(percorso) }
            return (c, try versioneSchema(c))
        }
        do {
            return try prova(false)
        } catch let e as ErroreArchivio where percorso != ":memory:" && [SQLITE_CANTOPEN, SQLITE_READONLY].contains(e.codice & 0xFF) {
            // A WAL ledger in a read-only folder: SQLite cannot create the -shm file. With no pending
            // -wal content, the database file alone is the whole ledger: read it as immutable.
            if let wal = try Self.stato(percorso + "-wal"), wal.byte > 0 { throw e }
            return try prova(true)
        }
    }

    /// Connection settings, all explicit (ADR 0001): WAL so readers never block the writer; synchronous=FULL
    /// so a commit that returned survives a power cut; foreign keys on; a bounded wait on the write lock.
    /// Only for a file already known to be a Fondi ledger (or a new one): setting WAL writes to the file.
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
