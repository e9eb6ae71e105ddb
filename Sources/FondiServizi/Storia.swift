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
