import Fondi

/// One ledger: events, their hash chain, and the projections kept in step with them, on either engine
/// (a SQLite file, or an Ambito's schema on PostgreSQL; ADR 0020).
///
/// Every write is one transaction: load the entities the command touches, decide, append the events with
/// their chain hashes, write the changed projections back, commit (ADR 0004). Two writers of one ledger
/// serialise on the engine's write lock; the second waits up to `attesaBloccoMillisecondi`.
public final class Registro {
    let connessione: any Connessione
    /// The ledger's file, or its PostgreSQL address without the password.
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
        /// PostgreSQL: a schema of an earlier version, which only its owner can upgrade.
        case schemaPrecedente(String, Int)
        case cartella(String)
        case solaLetturaDaMigrare(String)
        /// PostgreSQL: the database has no ledger for this Ambito (code, address).
        case ambitoAssente(String, String)

        public var description: String {
            switch self {
            case let .assente(p): "registro '\(p)' inesistente: crealo con 'fondi init' (oppure indica --db o FONDI_DB)"
            case let .nonRegistro(p): "il file '\(p)' non è un registro Fondi: crealo con 'fondi init' in un file nuovo"
            case let .versioneFutura(p, v): "il registro '\(p)' ha lo schema \(v), più recente di questo programma (\(Schema.versione)): aggiorna fondi"
            case let .schemaPrecedente(p, v):
                "il registro '\(p)' ha lo schema \(v), precedente a questo programma (\(Schema.versione)): aggiornalo con 'fondi init' usando l'indirizzo del proprietario dello schema"
            case let .cartella(p): "'\(p)' è una cartella, non un registro: indica il file del registro"
            case let .ambitoAssente(a, p): "registro dell'ambito '\(a)' inesistente in '\(p)': crealo con 'fondi init'"
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

    package init(connessione: any Connessione, percorso: String, orologio: @escaping @Sendable () -> String) {
        self.connessione = connessione
        self.percorso = percorso
        self.orologio = orologio
    }

    // MARK: - Consistent reads

    /// Runs reads in one read transaction, so a report or a verification sees a single committed state even
    /// while another process appends (SQLite's WAL or PostgreSQL's repeatable read give each reader its snapshot). Nested calls join the outer one.
    func inLettura<T>(_ corpo: () throws -> T) throws -> T {
        guard !connessione.inTransazione else { return try corpo() }
        try connessione.iniziaLettura()
        defer { try? connessione.conferma() }
        return try corpo()
    }

    // MARK: - Chain head

    /// The last event's seq and hash; (0, 32 zero bytes) for an empty ledger (DOMAIN §6).
    public func testa() throws(ErroreArchivio) -> (seq: Int64, hash: [UInt8]) {
        let r = try connessione.istruzione("SELECT seq, hash FROM evento ORDER BY seq DESC LIMIT 1").righe { s in (s.intero(0), s.byte(1)) }
        return r.first ?? (0, Catena.hashZero)
    }
}
