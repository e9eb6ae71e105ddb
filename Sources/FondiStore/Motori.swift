import Fondi

/// How a front end opens the ledger named by an address, whatever engine holds it. The composition root (the
/// `fondi` executable) chooses the engines it links and hands this to the front ends, so that the web
/// application and the shared layer depend on no engine's module (ADR 0022).
public struct Motori: Sendable {
    /// Opens the ledger at `indirizzo` (a SQLite path, or an address an engine recognises) in `modo`.
    public let apri: @Sendable (_ indirizzo: String, _ modo: Registro.Modo) throws -> Registro
    /// Whether a connection to `indirizzo` is worth keeping open between requests (a network engine's
    /// handshake); a SQLite file is opened per request, which is cheap.
    public let connessioneDaTenere: @Sendable (_ indirizzo: String) -> Bool
    /// Whether the address names a database holding many Ambiti (the Region's view, ADR 0021).
    public let multiAmbito: @Sendable (_ indirizzo: String) -> Bool
    /// The Region's prospetto over every Ambito the address's role may read: nil where the engine has one
    /// ledger per address.
    public let prospettoRegionale: (@Sendable (_ indirizzo: String) throws -> [Tabella])?

    public init(apri: @escaping @Sendable (String, Registro.Modo) throws -> Registro,
                connessioneDaTenere: @escaping @Sendable (String) -> Bool,
                multiAmbito: @escaping @Sendable (String) -> Bool,
                prospettoRegionale: (@Sendable (String) throws -> [Tabella])?) {
        self.apri = apri
        self.connessioneDaTenere = connessioneDaTenere
        self.multiAmbito = multiAmbito
        self.prospettoRegionale = prospettoRegionale
    }

    /// SQLite files only: what tests and a build without other engines use.
    public static let sqlite = Motori(apri: { try Registro.apri(percorso: $0, modo: $1) }, connessioneDaTenere: { _ in false },
                                      multiAmbito: { _ in false }, prospettoRegionale: nil)
}
