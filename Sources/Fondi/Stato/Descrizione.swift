/// An entity described once (ADR 0022): its table, its fields in order, how many leading fields form its key,
/// which fields events change after it is created, and how it is read back field by field. From this one
/// description come the snapshot codec and the bytes its fingerprint is computed over (here), and in the
/// store the column lists, the row reader, the per-key and batch loaders, the write-back (INSERT of every
/// field, UPDATE of the variable ones), the fingerprint scan of the stored rows and the DDL of both engines.
package protocol EntitaDescritta: Equatable, Sendable {
    /// The projection table that holds it, and its place in the state digest.
    static var tabella: TabellaStato { get }
    /// Every field, in the order of the canonical encoding and of the table's columns.
    static var campi: [CampoEntita<Self>] { get }
    /// The number of leading fields that make the key.
    static var campiChiave: Int { get }
    /// Reads the fields back in the order of `campi`.
    init(leggendo l: inout some LettoreCampi) throws(CampoIllegibile)
    /// How a command's working set names it (what the store writes back).
    var riferimento: RiferimentoEntita { get }
    /// Puts it in a state (the store's working set, a snapshot being decoded).
    func inserisci(in stato: inout Stato)
    /// Calls `corpo` with every one in a state; when `ordinato`, in the order of the canonical encoding (by key;
    /// eliminazioni and riduzioni by seq).
    static func perOgni(in stato: Stato, ordinato: Bool, _ corpo: (Self) -> Void)
    /// Makes room for `n` of them in a state about to be filled (a snapshot being decoded).
    static func riserva(_ n: Int, in stato: inout Stato)
}

/// How a field is stored. The canonical encoding, the SQL column and the fingerprint of a stored row agree
/// on it: text is length-prefixed UTF-8, an integer a zigzag varint, an absent optional −1, a date the integer
/// YYYYMMDD; a `dataOpzionale` (an esercizio's closing day) is stored and encoded as optional text.
package enum TipoColonna: Sendable {
    case testo, intero, opzionale, data, dataOpzionale

    /// Whether the column may be NULL.
    package var facoltativo: Bool { self == .opzionale || self == .dataOpzionale }
}

/// One field's value, as the description hands it to an encoder or to a statement.
package enum ValoreCampo: Equatable {
    case testo(String), intero(Int64), opzionale(String?), data(DataContabile)
}

/// One field of an entity: its column name, its kind, whether events change it after creation, and how to
/// read it from the entity.
package struct CampoEntita<E>: Sendable {
    package let nome: String
    package let tipo: TipoColonna
    /// Changed by events after the entity is created: the store's write-back UPDATEs exactly these.
    package let variabile: Bool
    package let valore: @Sendable (E) -> ValoreCampo

    package static func testo(_ nome: String, _ v: @escaping @Sendable (E) -> String) -> CampoEntita {
        CampoEntita(nome: nome, tipo: .testo, variabile: false) { .testo(v($0)) }
    }
    package static func intero(_ nome: String, variabile: Bool = false, _ v: @escaping @Sendable (E) -> Int64) -> CampoEntita {
        CampoEntita(nome: nome, tipo: .intero, variabile: variabile) { .intero(v($0)) }
    }
    package static func opzionale(_ nome: String, _ v: @escaping @Sendable (E) -> String?) -> CampoEntita {
        CampoEntita(nome: nome, tipo: .opzionale, variabile: false) { .opzionale(v($0)) }
    }
    package static func data(_ nome: String, _ v: @escaping @Sendable (E) -> DataContabile) -> CampoEntita {
        CampoEntita(nome: nome, tipo: .data, variabile: false) { .data(v($0)) }
    }
    package static func dataOpzionale(_ nome: String, variabile: Bool = false, _ v: @escaping @Sendable (E) -> DataContabile?) -> CampoEntita {
        CampoEntita(nome: nome, tipo: .dataOpzionale, variabile: variabile) { .opzionale(v($0)?.description) }
    }
}

/// Reads an entity's fields one after the other: from a snapshot's bytes or from a stored row.
package protocol LettoreCampi {
    mutating func testo() throws(CampoIllegibile) -> String
    mutating func intero() throws(CampoIllegibile) -> Int64
    mutating func opzionale() throws(CampoIllegibile) -> String?
    mutating func data() throws(CampoIllegibile) -> DataContabile
}

extension LettoreCampi {
    /// An optional date kept as text (an esercizio's closing day).
    package mutating func dataOpzionale() throws(CampoIllegibile) -> DataContabile? {
        guard let t = try opzionale() else { return nil }
        guard let d = DataContabile(testo: t) else { throw CampoIllegibile(motivo: "data non valida '\(t)'") }
        return d
    }
}

/// A field that cannot be read back: a damaged snapshot (ignored) or a damaged row (a corrupt file).
package struct CampoIllegibile: Error {
    package let motivo: String
    package init(motivo: String) { self.motivo = motivo }
}

extension EntitaDescritta {
    package static func riserva(_ n: Int, in stato: inout Stato) {}

    /// `perOgni` over a table kept by key.
    static func perOgni<K: Comparable>(_ d: [K: Self], ordinato: Bool, _ corpo: (Self) -> Void) {
        if ordinato { for k in d.keys.sorted() { corpo(d[k]!) } } else { for e in d.values { corpo(e) } }
    }
    /// `perOgni` over a table kept as lists per parent, in seq order.
    static func perOgni(_ d: [String: [Self]], seq: (Self) -> Int64, ordinato: Bool, _ corpo: (Self) -> Void) {
        if ordinato { d.values.joined().sorted { seq($0) < seq($1) }.forEach(corpo) } else { d.values.joined().forEach(corpo) }
    }

    /// The key's fields.
    package static var chiave: ArraySlice<CampoEntita<Self>> { campi.prefix(campiChiave) }
    /// The fields written back by an UPDATE.
    package static var variabili: [CampoEntita<Self>] { campi.filter(\.variabile) }

    /// The canonical bytes of the entity (snapshots store them; its fingerprint is computed over them).
    func scrivi(in s: inout ScrittoreBinario) {
        for c in Self.campi {
            switch c.valore(self) {
            case let .testo(t): s.testo(t)
            case let .intero(n): s.intero(n)
            case let .opzionale(t): s.opzionale(t)
            case let .data(d): s.data(d)
            }
        }
    }
}

/// The tables of the projection state, in the order of the canonical encoding and of the state digest
/// (ADR 0009). A new entity's table is a new case, at the end.
package enum TabellaStato: Int, CaseIterable, Sendable {
    case fonte, servizio, esercizio, linea, impegno, liquidazione, mandato, eliminazione
    // DOMAIN §9 (state digest "fondi-stato-4").
    case prenotazione, accertamento, riscossione, riduzioneAccertamento
    // DOMAIN §10. Tables from here on enter the state digest only when not empty, so the digest of a ledger
    // without them is the one earlier releases computed (`Impronta.digest`).
    case scadenza, rendicontazione

    /// The tables every state digest lists, even empty.
    package static let sempreNelDigest = 12
}

extension TabellaStato {
    /// The table's name in both engines.
    package var nome: String {
        switch self {
        case .fonte: "fonte"
        case .servizio: "servizio"
        case .esercizio: "esercizio"
        case .linea: "linea"
        case .impegno: "impegno"
        case .liquidazione: "liquidazione"
        case .mandato: "mandato"
        case .eliminazione: "eliminazione"
        case .prenotazione: "prenotazione"
        case .accertamento: "accertamento"
        case .riscossione: "riscossione"
        case .riduzioneAccertamento: "riduzione_accertamento"
        case .scadenza: "scadenza"
        case .rendicontazione: "rendicontazione"
        }
    }
}

extension TabellaStato {
    /// The entity each table holds: generic code over every table opens it (`func f<E>(_: E.Type)`).
    package var tipo: any EntitaDescritta.Type {
        switch self {
        case .fonte: Fonte.self
        case .servizio: Servizio.self
        case .esercizio: Esercizio.self
        case .linea: Linea.self
        case .impegno: Impegno.self
        case .liquidazione: Liquidazione.self
        case .mandato: Mandato.self
        case .eliminazione: Eliminazione.self
        case .prenotazione: Prenotazione.self
        case .accertamento: Accertamento.self
        case .riscossione: Riscossione.self
        case .riduzioneAccertamento: RiduzioneAccertamento.self
        case .scadenza: Scadenza.self
        case .rendicontazione: Rendicontazione.self
        }
    }
}
