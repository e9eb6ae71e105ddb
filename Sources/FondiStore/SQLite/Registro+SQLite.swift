import CSQLite
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Fondi

/// Opening and creating a ledger on a SQLite file (ADR 0001, 0012): the file checks, the connection
/// settings and the frozen migrations of `Schema`.
extension Registro {
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
        let c = try ConnessioneSQLite(percorso: percorso, crea: true)
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

    static func migra(_ c: any Connessione, da versione: Int) throws(ErroreArchivio) {
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
        let lettore: ConnessioneSQLite
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
        let c = try ConnessioneSQLite(percorso: percorso, crea: false)
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
    static func apriInLettura(_ percorso: String) throws -> (ConnessioneSQLite, Int) {
        func prova(_ immutabile: Bool) throws -> (ConnessioneSQLite, Int) {
            let c = try ConnessioneSQLite(percorso: percorso, solaLettura: true, immutabile: immutabile)
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
    static func configura(_ c: ConnessioneSQLite) throws(ErroreArchivio) {
        sqlite3_busy_timeout(c.db, attesaBloccoMillisecondi)
        try c.esegui("PRAGMA journal_mode = WAL")
        try c.esegui("PRAGMA synchronous = FULL")
        try c.esegui("PRAGMA foreign_keys = ON")
    }

    static func versioneSchema(_ c: any Connessione) throws(ErroreArchivio) -> Int {
        Int(try c.istruzione("PRAGMA user_version").righe { s in s.intero(0) }.first ?? 0)
    }

    static func tabelleUtente(_ c: any Connessione) throws(ErroreArchivio) -> Int {
        Int(try c.istruzione("SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'").righe { s in s.intero(0) }.first ?? 0)
    }
}
