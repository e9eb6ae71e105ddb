import Fondi
import FondiStore

/// `fondi scadenze`, the scadenze page and `GET /api/v1/scadenze` (DOMAIN §10.1): every value is checked before
/// any work; then each scadenza listed on the view day T is evaluated on the `--al` view of min(T, termine)
/// (ADR 0016), one view per distinct day, never a replay from event 1.
public struct RichiestaScadenze: Sendable {
    public let fonte: String?
    public let stato: StatoScadenza?
    public let al: DataContabile?
    public let fino: Int64?
    public let entro: Int

    public init(fonte: String? = nil, stato: StatoScadenza? = nil, al: DataContabile? = nil, fino: Int64? = nil,
                entro: Int = ValutazioneScadenza.entroPredefinito) {
        (self.fonte, self.stato, self.al, self.fino, self.entro) = (fonte, stato, al, fino, entro)
    }

    /// What the cruscotto's *Da guardare* lists: every scadenza `mancata` or `a rischio` on the view day.
    public static func daGuardare(_ deposito: some Deposito, al: DataContabile?, fino: Int64?, oggi: DataContabile) throws -> [ValutazioneScadenza] {
        try RichiestaScadenze(al: al, fino: fino).valuta(deposito, oggi: oggi).filter { $0.stato == .mancata || $0.stato == .aRischio }
    }

    public init(_ v: Valori) throws {
        fonte = try v.codiceOpzionale("fonte")?.testo
        stato = try v.testoGrezzo("stato").map { testo in
            guard let s = StatoScadenza(rawValue: testo) else {
                throw ErroreValore("\(v.campo("stato")) '\(Testo.visibile(testo))' non valido: usa " + Lettura.elenco(StatoScadenza.allCases.map { "'\($0.rawValue)'" }, congiunzione: "o"))
            }
            return s
        }
        al = try v.data("al")
        fino = try v.seq("fino-a")
        entro = try v.testoGrezzo("entro").map { Int(try Lettura.intero($0, campo: v.campo("entro"), tra: 0...36_500, atteso: "un numero di giorni")) }
            ?? ValutazioneScadenza.entroPredefinito
    }

    /// The evaluated scadenze, by termine then numero; `oggi` is T when `--al` is absent.
    public func valuta(_ deposito: some Deposito, oggi: DataContabile, avviso: (String) -> Void = { _ in }) throws -> [ValutazioneScadenza] {
        if let fonte, try deposito.fonte(fonte) == nil { throw Rifiuto(regola: "4.1", "fonte '\(fonte)' sconosciuta") }
        let t = al ?? oggi
        let vista = try Vista.stato(deposito, al: t, fino: fino, impegni: false, avviso: avviso)
        var cifre: [DataContabile: [String: RigaRendicontazione]] = [:]
        var out: [ValutazioneScadenza] = []
        for s in vista.scadenzeElencate(fonte: fonte) {
            let c = min(t, s.termine)
            if s.tipo != .rendicontazione, cifre[c] == nil {
                cifre[c] = c == t ? vista.righeProspetto() : try deposito.vista(al: c, fino: fino, impegni: false, avviso: avviso).righeProspetto()
            }
            let v = ValutazioneScadenza(s, oggi: t, entro: entro, cifre: cifre[c]?[s.fonte], vista: vista)
            if stato == nil || v.stato == stato { out.append(v) }
        }
        return out
    }

    public static func tabella(_ valutate: [ValutazioneScadenza]) -> Tabella {
        Tabella(nome: "righe", colonne: ValutazioneScadenza.colonne, righe: valutate.map(\.celle))
    }
}

/// `fondi rendicontazioni` and `fondi rendicontazione mostra|confronta`, their pages and API (DOMAIN §10.2).
public enum Rendicontazioni {
    public static let colonneElenco = ["numero", "destinatario", "al", "data", "seq", "n_fonti", "motivo", "atto"]

    /// Every submission (to `destinatario` when given), by seq.
    public static func elenco(_ stato: Stato, destinatario: String?) -> Tabella {
        let scelte = stato.rendicontazioni.values.filter { destinatario == nil || $0.destinatario == destinatario }.sorted { $0.seq < $1.seq }
        return Tabella(nome: "righe", colonne: colonneElenco, righe: scelte.map { r in
            [.testo(r.numero), .testo(r.destinatario), .data(r.al), .data(r.data), .intero(r.seq), .intero(Int64(r.righe.count)),
             r.motivo.map(Cella.testo) ?? .nullo, r.atto.map(Cella.testo) ?? .nullo]
        })
    }

    /// The figures a `rendiconta` recorded (or, with `prova`, would record), one row per fonte; nil when the
    /// events hold no rendicontazione.
    public static func righe(_ esiti: [Esito]) -> Tabella? {
        for e in esiti.flatMap(\.eventi) {
            if case let .rendicontazioneInviata(_, _, _, righe, _) = e.evento {
                return Tabella(nome: "righe", colonne: ["fonte"] + RigaRendicontazione.campi,
                               righe: righe.map { [.testo($0.fonte)] + $0.valori.map(Cella.importo) })
            }
        }
        return nil
    }

    /// The API's and `--formato json`'s answer to a write: the events, and a rendicontazione's figures (`righe`).
    public static func json(_ esiti: [Esito], prova: Bool) -> ValoreJSON {
        guard case var .oggetto(o) = Risultati.esiti(esiti) else { return Risultati.esiti(esiti) }
        if let t = righe(esiti) { o["righe"] = Rendering.righe(t) }
        if prova { o["prova"] = .booleano(true) }
        return .oggetto(o)
    }

    /// `mostra` as JSON (DOMAIN §10.2): the submission's envelope with its righe and rettifiche.
    public static func json(_ r: Rendicontazione, _ tabelle: [Tabella]) -> ValoreJSON {
        .oggetto([
            "numero": .stringa(r.numero), "destinatario": .stringa(r.destinatario), "al": .stringa(r.al.description),
            "data": .stringa(r.data.description), "seq": .intero(r.seq), "righe": Rendering.righe(tabelle[0]), "rettifiche": Rendering.righe(tabelle[1]),
        ])
    }

    /// The submission `numero` and its `mostra` tables, from the ledger as it is now.
    public static func mostra(_ numero: String, _ deposito: some Deposito, avviso: (String) -> Void = { _ in }) throws -> (Rendicontazione, [Tabella]) {
        let r = try trova(numero, in: try deposito.vista(al: nil, fino: nil, impegni: false, avviso: avviso))
        return (r, try mostra(r, deposito, avviso: avviso))
    }

    /// The submission `numero` compared with the earlier one (`confronta`).
    public static func confronta(_ numero: String, _ deposito: some Deposito, avviso: (String) -> Void = { _ in }) throws -> (Rendicontazione, Tabella, titolo: String) {
        let stato = try deposito.vista(al: nil, fino: nil, impegni: false, avviso: avviso)
        let r = try trova(numero, in: stato)
        return (r, confronta(r, in: stato), titoloConfronto(r, in: stato))
    }

    /// The submission `numero`, or a refusal naming it.
    public static func trova(_ numero: String, in stato: Stato) throws -> Rendicontazione {
        guard let r = stato.rendicontazioni[numero] else { throw Rifiuto(regola: "4.1", "rendicontazione '\(numero)' sconosciuta") }
        return r
    }

    public static let colonneMostra = ["fonte"] + RigaRendicontazione.campi + ["impegnato_oggi", "liquidato_oggi", "pagato_oggi", "rettificata"]
    public static let colonneRettifiche = ["seq", "tipo", "data", "fonte", "importo"]

    /// `mostra`: the righe as sent, each beside the same cut-off in today's ledger, and the events recorded
    /// after the submission, dated up to its cut-off, that changed a listed fonte (`rettifiche`).
    public static func mostra(_ r: Rendicontazione, _ deposito: some Deposito, avviso: (String) -> Void = { _ in }) throws -> [Tabella] {
        let oggi = try deposito.vista(al: r.al, fino: nil, impegni: false, avviso: avviso).righeProspetto()
        let righe = r.righe.map { riga -> [Cella] in
            let o = oggi[riga.fonte]
            let attuali = RigaRendicontazione.crescenti.map { o?.valore($0) ?? 0 }
            let rettificata = zip(RigaRendicontazione.crescenti, attuali).contains { riga.valore($0.0) != $0.1 }
            return [.testo(riga.fonte)] + riga.valori.map(Cella.importo) + attuali.map(Cella.importo) + [.booleano(rettificata)]
        }
        let rettifiche = try Self.rettifiche(r, deposito).map { e, fonte -> [Cella] in
            [.intero(e.seq), .testo(e.evento.tipo), .data(e.data), .testo(fonte), e.evento.importo.map(Cella.importo) ?? .nullo]
        }
        return [Tabella(nome: "righe", colonne: colonneMostra, righe: righe),
                Tabella(nome: "rettifiche", colonne: colonneRettifiche, righe: rettifiche)]
    }

    /// The events after `r` (seq greater than its own) dated up to its cut-off that change a figure of a fonte it
    /// lists, with that fonte, by seq. Found through the date index (`eventiDatatiEntro`), not by a scan.
    static func rettifiche(_ r: Rendicontazione, _ deposito: some Deposito) throws -> [(EventoRegistrato, String)] {
        let elencate = Set(r.righe.map(\.fonte))
        var risolutore = FonteDegliEventi(deposito: deposito)
        var out: [(EventoRegistrato, String)] = []
        for e in try deposito.eventiDatatiEntro(r.al, dopo: r.seq) {
            for f in try risolutore.fonti(e.evento) where elencate.contains(f) { out.append((e, f)) }
        }
        return out
    }

    /// `mostra` for a reader (the CLI's table, the page): one narrow table per fonte, named by its code, with each
    /// figure as sent and, for impegnato, liquidato and pagato, the same cut-off in today's ledger.
    public static func perFonte(_ r: Rendicontazione, _ mostrate: Tabella) -> [Tabella] {
        let oggi = Dictionary(uniqueKeysWithValues: mostrate.righe.map { riga -> (String, [Cella]) in
            (Rendering.testoCella(riga[0]), Array(riga.suffix(4).prefix(3)))
        })
        return r.righe.map { riga in
            let attuali = oggi[riga.fonte] ?? []
            let celle = zip(RigaRendicontazione.campi, riga.valori).map { campo, inviato -> [Cella] in
                let i = RigaRendicontazione.crescenti.firstIndex(of: campo)
                return [.testo(Rendering.intestazione(campo)), .importo(inviato), i.flatMap { attuali.indices.contains($0) ? attuali[$0] : nil } ?? .nullo]
            }
            return Tabella(nome: riga.fonte, colonne: ["cifra", "inviato", "oggi"], righe: celle)
        }
    }

    /// The title of a comparison: which earlier submissions it is against, or that there is none.
    public static func titoloConfronto(_ r: Rendicontazione, in stato: Stato) -> String {
        let prima = Set(r.righe.compactMap { stato.precedente(r.destinatario, fonte: $0.fonte, al: r.al, primaDi: r.seq)?.0.numero }).sorted()
        return prima.isEmpty ? "Rendicontazione \(r.numero): nessun invio precedente a \(r.destinatario) per le sue fonti"
            : "Rendicontazione \(r.numero) confrontata con \(prima.joined(separator: ", ")) (invii precedenti a \(r.destinatario))"
    }

    public static let colonneConfronto = ["fonte", "campo", "precedente", "attuale", "differenza"]

    /// `confronta`: per fonte of `r`, impegnato, liquidato and pagato as sent against the earlier submission the
    /// growth rule names for it (same destinatario, lists the fonte, cut-off up to `r`'s, highest seq before it).
    public static func confronta(_ r: Rendicontazione, in stato: Stato) -> Tabella {
        var righe: [[Cella]] = []
        for riga in r.righe {
            let prima = stato.precedente(r.destinatario, fonte: riga.fonte, al: r.al, primaDi: r.seq)?.1
            for campo in RigaRendicontazione.crescenti {
                let attuale = riga.valore(campo)!
                let precedente = prima?.valore(campo)
                righe.append([.testo(riga.fonte), .testo(campo), precedente.map(Cella.importo) ?? .nullo, .importo(attuale),
                              precedente.map { .importo(attuale - $0) } ?? .nullo])
            }
        }
        return Tabella(nome: "righe", colonne: colonneConfronto, righe: righe)
    }
}

/// Which fonti an event changes the figures of (the eleven of a rendicontazione), looking up by key the
/// impegni, liquidazioni and accertamenti it names; each key once.
struct FonteDegliEventi<D: Deposito> {
    let deposito: D
    var conosciute: [String: String] = [:]
    /// The state at the head, read once for the closings among the events.
    var statoAttuale: Stato?

    mutating func fonti(_ e: Evento) throws -> [String] {
        let deposito = self.deposito
        switch e {
        case let .fonteRegistrata(codice, _, _, _, _, _): return [codice]
        case let .fonteIntegrata(f, _), let .fonteRidotta(f, _), let .accertamentoRegistrato(_, f, _, _, _):
            return [f]
        case let .programmazioneDisposta(l, _), let .programmazioneRidotta(l, _), let .impegnoAssunto(_, l, _, _, _, _, _, _):
            return [l.fonte]
        case let .impegnoRidotto(i, _, _), let .residuoEliminato(i, _, _), let .impegnoReimputato(i, _, _, _), let .liquidazioneDisposta(_, i, _, _):
            return try cerca("i:" + i) { try deposito.impegno(i)?.linea.fonte }
        case let .liquidazioneAnnullata(l, _, _), let .pagamentoEmesso(_, l, _):
            return try cerca("l:" + l) { try deposito.liquidazione(l).flatMap { try deposito.impegno($0.impegno)?.linea.fonte } }
        case let .accertamentoRidotto(a, _, _), let .riscossioneRegistrata(_, a, _, _):
            return try cerca("a:" + a) { try deposito.accertamento(a)?.fonte }
        case let .esercizioChiuso(esercizio, _, _):
            // A closing moves residui passivi and libero of every fonte with linee in that esercizio.
            if statoAttuale == nil { statoAttuale = try deposito.vista(al: nil, fino: nil, impegni: false, avviso: { _ in }) }
            return Array(Set(statoAttuale!.linee.keys.filter { $0.esercizio == esercizio }.map(\.fonte))).sorted()
        // A spostamento moves programmato between two servizi of the same fonte and esercizio: none of the fonte's figures.
        case .programmazioneSpostata, .servizioRegistrato, .residuoRiportato, .economiaRilevata, .prenotazioneAssunta, .prenotazioneRidotta, .prenotazioneDecaduta,
             .residuoAttivoRiportato, .scadenzaFissata, .scadenzaProrogata, .scadenzaRevocata, .rendicontazioneInviata:
            return []
        }
    }

    private mutating func cerca(_ chiave: String, _ trova: () throws -> String?) throws -> [String] {
        if let f = conosciute[chiave] { return [f] }
        guard let f = try trova() else { return [] }
        conosciute[chiave] = f
        return [f]
    }
}
