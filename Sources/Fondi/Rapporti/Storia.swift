/// Selects the events of `fondi storia` (DOMAIN §7): the whole life of an impegno, or how a fonte's or
/// servizio's money moved. Stateful: it learns the impegni and liquidazioni that belong to the subject as
/// the events stream by, so it must see them in seq order.
public struct FiltroStoria: Sendable {
    public enum Soggetto: Sendable, Equatable {
        case tutto
        /// An impegno; `origini` are the impegni it was reimputed from, nearest first (its trail back, DOMAIN §9.4).
        case impegno(String, origini: [String] = [])
        case fonte(String)
        case servizio(String)
        case prenotazione(String)
        case accertamento(String)
    }

    let soggetto: Soggetto
    private var impegni: Set<String> = []
    private var liquidazioni: Set<String> = []
    private var accertamenti: Set<String> = []
    private var scadenze: Set<String> = []

    public init(_ soggetto: Soggetto) {
        self.soggetto = soggetto
        if case let .impegno(n, origini) = soggetto { impegni.insert(n); impegni.formUnion(origini) }
        if case let .accertamento(a) = soggetto { accertamenti.insert(a) }
    }

    public mutating func accetta(_ evento: Evento) -> Bool {
        switch soggetto {
        case .tutto: return true
        case .impegno: return seguiImpegni(evento)
        case let .prenotazione(p):
            switch evento {
            case let .prenotazioneAssunta(numero, _, _, _): return numero == p
            case let .prenotazioneRidotta(numero, _, _), let .prenotazioneDecaduta(numero, _): return numero == p
            case let .impegnoAssunto(numero, _, _, _, _, _, _, prenotazione):
                // The impegni assumed on the prenotazione, followed through their lives.
                if prenotazione == p { impegni.insert(numero) }
                return prenotazione == p
            default: return seguiImpegni(evento)
            }
        case .accertamento: return seguiAccertamenti(evento)
        case let .fonte(f):
            switch evento {
            case let .fonteRegistrata(codice, _, _, _, _, _): return codice == f
            case let .fonteIntegrata(fonte, _), let .fonteRidotta(fonte, _): return fonte == f
            case let .programmazioneDisposta(l, _), let .programmazioneRidotta(l, _), let .economiaRilevata(l, _),
                 let .prenotazioneAssunta(_, l, _, _):
                return l.fonte == f
            case let .programmazioneSpostata(fonte, _, _, _, _): return fonte == f
            case let .impegnoAssunto(numero, l, _, _, _, _, _, _):
                if l.fonte == f { impegni.insert(numero) }
                return l.fonte == f
            case let .accertamentoRegistrato(numero, fonte, _, _, _):
                if fonte == f { accertamenti.insert(numero) }
                return fonte == f
            // DOMAIN §10.2: a fonte's scadenze (their proroghe and revoche) and the rendicontazioni that list it.
            case let .scadenzaFissata(numero, fonte, _, _, _, _, _, _):
                if fonte == f { scadenze.insert(numero) }
                return fonte == f
            case let .scadenzaProrogata(numero, _, _), let .scadenzaRevocata(numero, _): return scadenze.contains(numero)
            case let .rendicontazioneInviata(_, _, _, righe, _): return righe.contains { $0.fonte == f }
            default: return seguiImpegni(evento) || seguiAccertamenti(evento)
            }
        case let .servizio(s):
            switch evento {
            case let .servizioRegistrato(codice, _): return codice == s
            case let .programmazioneDisposta(l, _), let .programmazioneRidotta(l, _), let .economiaRilevata(l, _),
                 let .prenotazioneAssunta(_, l, _, _):
                return l.servizio == s
            case let .programmazioneSpostata(_, _, da, a, _): return da == s || a == s
            case let .impegnoAssunto(numero, l, _, _, _, _, _, _):
                if l.servizio == s { impegni.insert(numero) }
                return l.servizio == s
            default: return seguiImpegni(evento)
            }
        }
    }

    /// Events on the impegni already selected, and on their liquidazioni; a reimputazione selects the new impegno.
    private mutating func seguiImpegni(_ evento: Evento) -> Bool {
        switch evento {
        case let .impegnoAssunto(numero, _, _, _, _, _, _, _), let .impegnoRidotto(numero, _, _),
             let .residuoRiportato(numero, _, _), let .residuoEliminato(numero, _, _):
            return impegni.contains(numero)
        case let .impegnoReimputato(impegno, _, _, nuovo):
            guard impegni.contains(impegno) || impegni.contains(nuovo) else { return false }
            if case .impegno = soggetto {} else { impegni.insert(nuovo) }
            return true
        case let .liquidazioneDisposta(numero, impegno, _, _):
            guard impegni.contains(impegno) else { return false }
            liquidazioni.insert(numero)
            return true
        case let .liquidazioneAnnullata(liquidazione, _, _), let .pagamentoEmesso(_, liquidazione, _):
            return liquidazioni.contains(liquidazione)
        default:
            return false
        }
    }

    private func seguiAccertamenti(_ evento: Evento) -> Bool {
        switch evento {
        case let .accertamentoRegistrato(numero, _, _, _, _), let .accertamentoRidotto(numero, _, _),
             let .riscossioneRegistrata(_, numero, _, _), let .residuoAttivoRiportato(numero, _, _):
            return accertamenti.contains(numero)
        default:
            return false
        }
    }
}

extension Evento {
    /// The amount an event carries, if any (for `storia`).
    public var importo: Int64? {
        switch self {
        case let .fonteRegistrata(_, _, _, _, i, _), let .fonteIntegrata(_, i), let .fonteRidotta(_, i),
             let .programmazioneDisposta(_, i), let .programmazioneRidotta(_, i), let .programmazioneSpostata(_, _, _, _, i),
             let .impegnoAssunto(_, _, i, _, _, _, _, _), let .impegnoRidotto(_, i, _), let .liquidazioneDisposta(_, _, i, _),
             let .liquidazioneAnnullata(_, i, _), let .pagamentoEmesso(_, _, i), let .residuoRiportato(_, _, i),
             let .economiaRilevata(_, i), let .residuoEliminato(_, i, _), let .prenotazioneAssunta(_, _, i, _),
             let .prenotazioneRidotta(_, i, _), let .prenotazioneDecaduta(_, i), let .impegnoReimputato(_, i, _, _),
             let .accertamentoRegistrato(_, _, _, i, _), let .accertamentoRidotto(_, i, _), let .riscossioneRegistrata(_, _, i, _),
             let .residuoAttivoRiportato(_, _, i):
            i.centesimi
        case .servizioRegistrato, .esercizioChiuso, .scadenzaFissata, .scadenzaProrogata, .scadenzaRevocata, .rendicontazioneInviata:
            nil
        }
    }

    /// One line in Italian saying what happened, for `storia`.
    public var sintesi: String {
        switch self {
        case let .fonteRegistrata(codice, tipo, annualita, vincolata, _, _):
            "fonte \(codice) (\(tipo), annualità \(annualita), \(vincolata ? "vincolata" : "libera"))"
        case let .fonteIntegrata(f, _): "integrazione della fonte \(f)"
        case let .fonteRidotta(f, _): "riduzione della fonte \(f)"
        case let .servizioRegistrato(codice, descrizione): "servizio \(codice): \(descrizione)"
        case let .programmazioneDisposta(l, _): "programmazione su \(l)"
        case let .programmazioneRidotta(l, _): "riduzione della programmazione su \(l)"
        case let .programmazioneSpostata(f, e, da, a, _): "spostamento \(f)/\(e) da \(da) a \(a)"
        case let .impegnoAssunto(n, l, _, creditore, oggetto, _, _, prenotazione):
            "impegno \(n) su \(l) a favore di \(creditore): \(oggetto)" + (prenotazione.map { " (sulla prenotazione \($0))" } ?? "")
        case let .impegnoRidotto(n, _, motivo): "riduzione dell'impegno \(n): \(motivo)"
        case let .liquidazioneDisposta(n, i, _, _): "liquidazione \(n) sull'impegno \(i)"
        case let .liquidazioneAnnullata(n, _, motivo): "annullamento della liquidazione \(n): \(motivo)"
        case let .pagamentoEmesso(m, l, _): "mandato \(m) sulla liquidazione \(l)"
        case let .residuoRiportato(i, anno, _): "residuo passivo dell'impegno \(i) (anno di provenienza \(anno)) riportato"
        case let .economiaRilevata(l, _): "economia su \(l)"
        case let .esercizioChiuso(e, t, _):
            "chiusura dell'esercizio \(e): residui passivi \(Importo.formatoItaliano(t.residuiPassivi)), economie \(Importo.formatoItaliano(t.economie))"
                + (t.armonizzati.map {
                    ", FPV \(Importo.formatoItaliano($0.fpv)), prenotazioni decadute \(Importo.formatoItaliano($0.prenotazioniDecadute)), residui attivi \(Importo.formatoItaliano($0.residuiAttivi))"
                } ?? "")
        case let .residuoEliminato(i, _, motivo): "eliminazione del residuo dell'impegno \(i): \(motivo)"
        case let .prenotazioneAssunta(n, l, _, oggetto): "prenotazione \(n) su \(l): \(oggetto)"
        case let .prenotazioneRidotta(n, _, motivo): "riduzione della prenotazione \(n): \(motivo)"
        case let .prenotazioneDecaduta(n, _): "prenotazione \(n) decaduta alla chiusura: il non impegnato diventa economia"
        case let .impegnoReimputato(i, _, e, nuovo): "reimputazione dell'impegno \(i) all'esercizio \(e) come impegno \(nuovo) (FPV)"
        case let .accertamentoRegistrato(n, f, e, _, debitore): "accertamento \(n) sulla fonte \(f) (\(e)), debitore \(debitore)"
        case let .accertamentoRidotto(n, _, motivo): "riduzione dell'accertamento \(n): \(motivo)"
        case let .riscossioneRegistrata(r, a, _, _): "reversale \(r) sull'accertamento \(a)"
        case let .residuoAttivoRiportato(a, anno, _): "residuo attivo dell'accertamento \(a) (anno di provenienza \(anno)) riportato"
        case let .scadenzaFissata(n, f, tipo, termine, soglia, base, destinatario, copertura):
            "scadenza \(n) sulla fonte \(f): " + (tipo == .rendicontazione
                ? "rendicontazione a \(destinatario ?? "") con copertura al \(copertura.map(\.italiano) ?? "") entro il \(termine.italiano)"
                : "\(tipo.rawValue) del \(soglia ?? 100)% dell'\(base?.rawValue ?? "assegnato") entro il \(termine.italiano)")
        case let .scadenzaProrogata(n, termine, motivo): "proroga della scadenza \(n) al \(termine.italiano): \(motivo)"
        case let .scadenzaRevocata(n, motivo): "revoca della scadenza \(n): \(motivo)"
        case let .rendicontazioneInviata(n, destinatario, al, righe, motivo):
            "rendicontazione \(n) a \(destinatario) al \(al.italiano), \(righe.count) \(righe.count == 1 ? "fonte" : "fonti")" + (motivo.map { ": \($0)" } ?? "")
        }
    }
}
