import Fondi
import FondiStore

/// `storia`, the one use case behind `fondi storia`, the page `/storia` and `GET /api/v1/storia` (issue 19): the
/// values are read and checked before the ledger is opened (at most one subject, codes, `al`, `fino_a`), then
/// the subject's events are found once, dated up to `al` and recorded up to `fino_a`, in seq order.
public struct RichiestaStoria: Sendable {
    let valori: Valori
    public let al: DataContabile?
    public let fino: Int64?

    public init(_ v: Valori) throws {
        try Vista.controllaSoggettoStoria(v)
        valori = v
        al = try v.data("al")
        fino = try v.seq("fino-a")
    }

    /// The events: an unknown subject is refused (rule 1), a `fino_a` past the last event too.
    public func eventi(_ registro: some Deposito) throws -> [EventoRegistrato] {
        if let fino { try Vista.controllaFino(fino, registro) }
        var scelti: [EventoRegistrato] = []
        try Vista.eventiStoria(registro, try Vista.soggettoStoria(valori, registro), al: al, fino: fino) { scelti.append($0) }
        return scelti
    }

    /// The JSON of `--formato json` and of the API: `{"eventi": [the esporta objects]}`.
    public static func json(_ eventi: [EventoRegistrato]) -> ValoreJSON {
        .oggetto(["eventi": .lista(eventi.map(\.oggettoEsportato))])
    }

    /// The table of the CLI (`tabella`, `csv`, `xlsx`) and of the page, which also names who recorded each event.
    public static func tabella(_ eventi: [EventoRegistrato], conUtente: Bool) -> Tabella {
        var t = Tabella(nome: "eventi", colonne: ["seq", "data", "tipo", "atto"] + (conUtente ? ["utente"] : []) + ["importo", "descrizione"])
        for e in eventi {
            t.righe.append([.intero(e.seq), .data(e.data), .testo(e.evento.tipo), e.atto.map(Cella.testo) ?? .nullo]
                           + (conUtente ? [.testo(e.utente)] : []) + [e.evento.importo.map(Cella.importo) ?? .nullo, .testo(e.evento.sintesi)])
        }
        return t
    }
}

/// The page `/storia` (issue 21): newest first, `perPagina` at a time, filtered by tipo, dates, utente and text,
/// over the subject's events or, with no subject, read backwards from the head in blocks, so a page costs the
/// same at a million events as at a hundred. A page continues before the last event it shows (`prima`).
public struct PaginaStoria: Sendable {
    public struct Filtri: Sendable {
        public var tipo: String?
        public var dal: DataContabile?
        public var al: DataContabile?
        public var utente: String?
        public var testo: String?

        public init(tipo: String? = nil, dal: DataContabile? = nil, al: DataContabile? = nil, utente: String? = nil, testo: String? = nil) {
            (self.tipo, self.dal, self.al, self.utente, self.testo) = (tipo, dal, al, utente, testo)
        }

        public var attivi: Bool { tipo != nil || dal != nil || al != nil || utente != nil || testo != nil }

        func accetta(_ e: EventoRegistrato) -> Bool {
            if let tipo, e.evento.tipo != tipo { return false }
            if let dal, e.data < dal { return false }
            if let al, e.data > al { return false }
            if let utente, e.utente != utente { return false }
            if let testo {
                let cercato = testo.lowercased()
                return [e.evento.sintesi, e.atto ?? "", e.evento.tipo].contains { $0.lowercased().contains(cercato) }
            }
            return true
        }
    }

    public static let perPagina = 50
    /// The most events read for one page; past it the page says how far it looked and continues from there.
    public static let esaminatiMax = 20_000

    public let eventi: [EventoRegistrato]
    /// Where the next page starts (events before this seq), nil when there is nothing older.
    public let prossimo: Int64?
    /// Whether the page stopped at `esaminatiMax` events read rather than at a full page.
    public let interrotta: Bool

    public static func leggi(_ registro: some Deposito, _ richiesta: RichiestaStoria, filtri: Filtri, prima: Int64?,
                             perPagina: Int = perPagina) throws -> PaginaStoria {
        var filtri = filtri
        if let al = richiesta.al { filtri.al = min(al, filtri.al ?? al) }
        if let fino = richiesta.fino { try Vista.controllaFino(fino, registro) }
        let soggetto = try Vista.soggettoStoria(richiesta.valori, registro)
        guard case .tutto = soggetto else {
            // A subject's events come from its index: few, read whole, then paged here.
            var tutti: [EventoRegistrato] = []
            try Vista.eventiStoria(registro, soggetto, al: nil, fino: richiesta.fino) { if prima == nil || $0.seq < prima! { tutti.append($0) } }
            let scelti = tutti.reversed().filter(filtri.accetta)
            let pagina = Array(scelti.prefix(perPagina))
            return PaginaStoria(eventi: pagina, prossimo: scelti.count > perPagina ? pagina.last?.seq : nil, interrotta: false)
        }
        var fine = min(try registro.numeroEventi(), richiesta.fino ?? Int64.max, (prima ?? Int64.max) - 1)
        var scelti: [EventoRegistrato] = []
        var esaminati = 0
        while fine >= 1, scelti.count <= perPagina, esaminati < esaminatiMax {
            let inizio = max(1, fine - 1_023)
            var blocco: [EventoRegistrato] = []
            try registro.leggiEventi(da: inizio, fino: fine) { blocco.append($0) }
            for e in blocco.reversed() where scelti.count <= perPagina {
                esaminati += 1
                if filtri.accetta(e) { scelti.append(e) }
                fine = e.seq - 1
            }
            if blocco.isEmpty { break }
        }
        let pagina = Array(scelti.prefix(perPagina))
        if scelti.count > perPagina { return PaginaStoria(eventi: pagina, prossimo: pagina.last?.seq, interrotta: false) }
        return PaginaStoria(eventi: pagina, prossimo: fine >= 1 ? fine + 1 : nil, interrotta: fine >= 1)
    }
}
