import Fondi

/// What the use cases of the shared layer (FondiServizi) need from a ledger, and nothing more (issue 19, ADR 0022):
/// read the chain, look up what a subject names, see the state at a point in time, search impegni, append
/// commands. `Registro` implements it on SQLite and PostgreSQL; `DepositoInMemoria` (FondiTesting) is its
/// twin in memory, with the same events and hashes, for fast tests of the use cases (as Hummingbird pairs its
/// router with a test client, and GRDB its database protocol with an in-memory queue).
public protocol Deposito {
    /// The seq of the last event (0 for an empty ledger).
    func numeroEventi() throws -> Int64
    /// Events `da`…`fino` (all after `da` when nil), in seq order.
    func leggiEventi(da: Int64, fino: Int64?, _ corpo: (EventoRegistrato) throws -> Void) throws
    /// The events of these impegni (their liquidazioni and mandati included), in seq order, up to `fino`; a
    /// superset is allowed: the caller's `FiltroStoria` decides which belong to the subject.
    func eventiImpegni(_ numeri: [String], fino: Int64?) throws -> [EventoRegistrato]
    /// The events recorded after seq `dopo` and dated up to `data`, in seq order (through the date index).
    func eventiDatatiEntro(_ data: DataContabile, dopo: Int64) throws -> [EventoRegistrato]
    func fonte(_ codice: String) throws -> Fonte?
    func esisteServizio(_ codice: String) throws -> Bool
    func esisteImpegno(_ numero: String) throws -> Bool
    /// The impegni `numero` was reimputed from, oldest first: its trail back (DOMAIN §9.2).
    func origini(impegno numero: String) throws -> [String]
    func impegno(_ numero: String) throws -> Impegno?
    func liquidazione(_ numero: String) throws -> Liquidazione?
    func prenotazione(_ numero: String) throws -> Prenotazione?
    func accertamento(_ numero: String) throws -> Accertamento?
    /// The state to report on (DOMAIN §6): at the head, after event `fino`, or with only the events dated up to
    /// `al` (`impegni`: the impegni with something to pay are needed).
    func vista(al: DataContabile?, fino: Int64?, impegni: Bool, avviso: (String) -> Void) throws -> Stato
    /// One page of impegni and how many match in all.
    func cerca(_ r: RicercaImpegni) throws -> (impegni: [Impegno], totale: Int)
    /// Applies the commands in one transaction, all or nothing (`prova`: decide, show, write nothing).
    func applica(_ passi: [Passo], prova: Bool) throws -> [Esito]
}

extension Registro: Deposito {
    public func vista(al: DataContabile?, fino: Int64?, impegni: Bool, avviso: (String) -> Void) throws -> Stato {
        if al == nil && fino == nil { return try statoPerRapporti(impegniDaPagare: impegni) }
        guard let al else {
            // What the ledger knew after SEQ: the nearest snapshot plus the tail (ADR 0008).
            return try ricostruisciDaIstantanea(fino: fino, avviso: avviso).stato
        }
        // Events dated up to `al`, from the date frontier and the nearest periodic snapshot (ADR 0016).
        return try ricostruisciAl(al, fino: fino, avviso: avviso)
    }

    public func applica(_ passi: [Passo], prova: Bool) throws -> [Esito] { try registra(passi, prova: prova) }
}
