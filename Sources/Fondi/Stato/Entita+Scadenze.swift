// DOMAIN §10: the terms a fonte must meet (scadenze) and what the office sent (rendicontazioni). Each entity
// is described once (`EntitaDescritta`), the first two added through the recipe of ADR 0022.

/// What a scadenza measures (DOMAIN §10.1).
public enum TipoScadenza: String, Sendable, CaseIterable {
    case impegno, liquidazione, pagamento, rendicontazione
}

/// What a money scadenza's soglia is a percentage of.
public enum BaseScadenza: String, Sendable, CaseIterable {
    case assegnato, accertato
}

/// A term fixed on a fonte: by `termine`, reach `soglia`% of its assegnato or accertato in impegnato,
/// liquidato or pagato, or send a rendicontazione covering `copertura` to `destinatario`.
public struct Scadenza: Equatable, Sendable {
    public let numero: String
    public let fonte: String
    public let tipo: TipoScadenza
    /// The current termine: the one fixed, or the last proroga.
    public internal(set) var termine: DataContabile
    /// 1…100 for the money tipi, nil for rendicontazione.
    public let soglia: Int?
    public let base: BaseScadenza?
    public let destinatario: String?
    public let copertura: DataContabile?
    /// The date of `ScadenzaFissata`, and its act.
    public let fissataIl: DataContabile
    public let atto: String?
    public internal(set) var prorogata: Bool
    /// A scadenza recorded by mistake: not listed, no proroga or revoca after; its numero stays used.
    public internal(set) var revocata: Bool

    public init(numero: String, fonte: String, tipo: TipoScadenza, termine: DataContabile, soglia: Int?, base: BaseScadenza?,
                destinatario: String?, copertura: DataContabile?, fissataIl: DataContabile, atto: String?, prorogata: Bool = false,
                revocata: Bool = false) {
        self.numero = numero
        self.fonte = fonte
        self.tipo = tipo
        self.termine = termine
        self.soglia = soglia
        self.base = base
        self.destinatario = destinatario
        self.copertura = copertura
        self.fissataIl = fissataIl
        self.atto = atto
        self.prorogata = prorogata
        self.revocata = revocata
    }
}

/// The eleven figures of one fonte in a rendicontazione: its `fondi prospetto --al` row on the cut-off.
public struct RigaRendicontazione: Equatable, Sendable {
    public let fonte: String
    public let assegnato: Int64, accertato: Int64, riscosso: Int64, programmato: Int64, impegnato: Int64, liquidato: Int64
    public let pagato: Int64, residuiPassivi: Int64, libero: Int64, fpvSpesa: Int64

    public init(fonte: String, assegnato: Int64, accertato: Int64, riscosso: Int64, programmato: Int64, impegnato: Int64,
                liquidato: Int64, pagato: Int64, residuiPassivi: Int64, libero: Int64, fpvSpesa: Int64) {
        self.fonte = fonte
        self.assegnato = assegnato
        self.accertato = accertato
        self.riscosso = riscosso
        self.programmato = programmato
        self.impegnato = impegnato
        self.liquidato = liquidato
        self.pagato = pagato
        self.residuiPassivi = residuiPassivi
        self.libero = libero
        self.fpvSpesa = fpvSpesa
    }

    /// The JSON names of the figures, in the order of DOMAIN §10.2 (after `fonte`).
    public static let campi = ["assegnato", "accertato", "riscosso", "programmato", "impegnato", "liquidato", "pagato",
                               "residui_passivi", "libero", "fpv_spesa"]
    /// The figures in the order of `campi`.
    public var valori: [Int64] { [assegnato, accertato, riscosso, programmato, impegnato, liquidato, pagato, residuiPassivi, libero, fpvSpesa] }

    init?(fonte: String, valori v: [Int64]) {
        guard v.count == 10 else { return nil }
        self.init(fonte: fonte, assegnato: v[0], accertato: v[1], riscosso: v[2], programmato: v[3], impegnato: v[4], liquidato: v[5],
                  pagato: v[6], residuiPassivi: v[7], libero: v[8], fpvSpesa: v[9])
    }

    /// The object stored in the event's `righe` (keys in canonical order when written).
    public var json: ValoreJSON {
        var o: [String: ValoreJSON] = ["fonte": .stringa(fonte)]
        for (k, v) in zip(Self.campi, valori) { o[k] = .intero(v) }
        return .oggetto(o)
    }

    /// Reads a riga back; nil when a field is missing or not an integer.
    public init?(json: ValoreJSON) {
        guard case let .oggetto(o) = json, let f = o["fonte"]?.stringa else { return nil }
        let v = Self.campi.compactMap { o[$0]?.intero }
        self.init(fonte: f, valori: v)
    }

    /// The three figures that may only grow between submissions to the same destinatario (DOMAIN §10.2).
    public static let crescenti = ["impegnato", "liquidato", "pagato"]

    /// A figure by its JSON name (one of `campi`).
    public func valore(_ campo: String) -> Int64? { Self.campi.firstIndex(of: campo).map { valori[$0] } }
}

/// A submission of figures to a destinatario, as the event recorded it.
public struct Rendicontazione: Equatable, Sendable {
    public let numero: String
    public let destinatario: String
    /// The cut-off the figures are of.
    public let al: DataContabile
    /// The date of the event, and its seq.
    public let data: DataContabile
    public let seq: Int64
    public let righe: [RigaRendicontazione]
    public let motivo: String?
    public let atto: String?

    public init(numero: String, destinatario: String, al: DataContabile, data: DataContabile, seq: Int64, righe: [RigaRendicontazione],
                motivo: String?, atto: String?) {
        self.numero = numero
        self.destinatario = destinatario
        self.al = al
        self.data = data
        self.seq = seq
        self.righe = righe
        self.motivo = motivo
        self.atto = atto
    }

    public func riga(_ fonte: String) -> RigaRendicontazione? { righe.first { $0.fonte == fonte } }

    /// The righe as canonical JSON text (an array, fonti in code order).
    public var righeJSON: String { String(decoding: ValoreJSON.lista(righe.map(\.json)).canonico, as: UTF8.self) }

    static func righe(json testo: String) -> [RigaRendicontazione]? {
        guard let v = try? ValoreJSON.leggi(testo), case let .lista(l) = v else { return nil }
        let righe = l.compactMap(RigaRendicontazione.init(json:))
        return righe.count == l.count ? righe : nil
    }
}

extension Scadenza: EntitaDescritta {
    package static let tabella = TabellaStato.scadenza
    package static let campiChiave = 1
    package static let campi: [CampoEntita<Scadenza>] = [
        .testo("numero", \.numero), .testo("fonte", \.fonte), .testo("tipo", \.tipo.rawValue),
        CampoEntita(nome: "termine", tipo: .data, variabile: true) { .data($0.termine) },
        // A soglia is 1…100: 0 stands for none (a rendicontazione's).
        .intero("soglia") { Int64($0.soglia ?? 0) }, .opzionale("base", \.base?.rawValue), .opzionale("destinatario", \.destinatario),
        .dataOpzionale("copertura", \.copertura), .data("fissata_il", \.fissataIl), .opzionale("atto", \.atto),
        .intero("prorogata", variabile: true) { $0.prorogata ? 1 : 0 }, .intero("revocata", variabile: true) { $0.revocata ? 1 : 0 },
    ]
    package init(leggendo l: inout some LettoreCampi) throws(CampoIllegibile) {
        let numero = try l.testo(), fonte = try l.testo(), t = try l.testo()
        guard let tipo = TipoScadenza(rawValue: t) else { throw CampoIllegibile(motivo: "tipo di scadenza '\(t)' sconosciuto") }
        let termine = try l.data(), soglia = try l.intero(), b = try l.opzionale()
        let base = try b.map { (b) throws(CampoIllegibile) -> BaseScadenza in
            guard let base = BaseScadenza(rawValue: b) else { throw CampoIllegibile(motivo: "base '\(b)' sconosciuta") }
            return base
        }
        self.init(numero: numero, fonte: fonte, tipo: tipo, termine: termine, soglia: soglia == 0 ? nil : Int(soglia), base: base,
                  destinatario: try l.opzionale(), copertura: try l.dataOpzionale(), fissataIl: try l.data(), atto: try l.opzionale(),
                  prorogata: try l.intero() == 1, revocata: try l.intero() == 1)
    }
    package var riferimento: RiferimentoEntita { .scadenza(numero) }
    package func inserisci(in stato: inout Stato) { stato.scadenze[numero] = self }
    package static func perOgni(in stato: Stato, ordinato: Bool, _ corpo: (Scadenza) -> Void) { perOgni(stato.scadenze, ordinato: ordinato, corpo) }
}

extension Rendicontazione: EntitaDescritta {
    package static let tabella = TabellaStato.rendicontazione
    package static let campiChiave = 1
    package static let campi: [CampoEntita<Rendicontazione>] = [
        .testo("numero", \.numero), .testo("destinatario", \.destinatario), .data("al", \.al), .data("data", \.data), .intero("seq", \.seq),
        .testo("righe") { $0.righeJSON }, .opzionale("motivo", \.motivo), .opzionale("atto", \.atto),
    ]
    package init(leggendo l: inout some LettoreCampi) throws(CampoIllegibile) {
        let numero = try l.testo(), destinatario = try l.testo(), al = try l.data(), data = try l.data(), seq = try l.intero(), testo = try l.testo()
        guard let righe = Self.righe(json: testo) else { throw CampoIllegibile(motivo: "righe della rendicontazione \(numero) illeggibili") }
        self.init(numero: numero, destinatario: destinatario, al: al, data: data, seq: seq, righe: righe, motivo: try l.opzionale(), atto: try l.opzionale())
    }
    package var riferimento: RiferimentoEntita { .rendicontazione(numero) }
    package func inserisci(in stato: inout Stato) { stato.rendicontazioni[numero] = self }
    package static func perOgni(in stato: Stato, ordinato: Bool, _ corpo: (Rendicontazione) -> Void) {
        perOgni(stato.rendicontazioni, ordinato: ordinato, corpo)
    }
}
