import Fondi
import FondiStore

extension Risultati {
    /// What an event recorded and what is left after it, e.g. `impegno 2023/145 di 1.200,00 su
    /// FNA-2023/C2/2023: disponibile residuo 3.800,00`. Read from the projections just written.
    public static func frase(_ e: Evento, registro: Registro) throws -> String? {
        func eu(_ c: Int64) -> String { Importo.formatoItaliano(c) }
        func disponibile(_ k: LineaChiave) throws -> String {
            guard let l = try registro.linea(k) else { return "" }
            return "disponibile residuo \(eu(l.programmato - l.impegnato - l.prenotazioni))"
        }
        func accertamento(_ a: String) throws -> Accertamento? { try registro.accertamento(a) }
        func libero(_ f: String) throws -> String { try registro.fonte(f).map { "libero della fonte \(eu($0.libero))" } ?? "" }
        switch e {
        case let .fonteRegistrata(codice, _, _, _, importo, _):
            return "fonte \(codice) di \(eu(importo.centesimi)): \(try libero(codice))"
        case let .fonteIntegrata(f, importo):
            return "integrazione di \(eu(importo.centesimi)) della fonte \(f): \(try libero(f))"
        case let .fonteRidotta(f, importo):
            return "riduzione di \(eu(importo.centesimi)) della fonte \(f): \(try libero(f))"
        case let .servizioRegistrato(codice, descrizione):
            return "servizio \(codice) (\(descrizione))"
        case let .programmazioneDisposta(k, importo):
            return "programmazione di \(eu(importo.centesimi)) su \(k): \(try disponibile(k)), \(try libero(k.fonte))"
        case let .programmazioneRidotta(k, importo):
            return "riduzione di programmazione di \(eu(importo.centesimi)) su \(k): \(try disponibile(k)), \(try libero(k.fonte))"
        case let .programmazioneSpostata(f, esercizio, da, a, importo):
            let origine = LineaChiave(fonte: f, servizio: da, esercizio: esercizio), destinazione = LineaChiave(fonte: f, servizio: a, esercizio: esercizio)
            return "spostamento di \(eu(importo.centesimi)) da \(origine) a \(destinazione): su \(da) \(try disponibile(origine))"
        case let .impegnoAssunto(numero, k, importo, _, _, _, _, prenotazione):
            if let prenotazione, let p = try registro.prenotazione(prenotazione) {
                return "impegno \(numero) di \(eu(importo.centesimi)) su \(k) dalla prenotazione \(prenotazione): da impegnare sulla prenotazione \(eu(p.daImpegnare))"
            }
            return "impegno \(numero) di \(eu(importo.centesimi)) su \(k): \(try disponibile(k))"
        case let .impegnoRidotto(n, importo, _):
            guard let i = try registro.impegno(n) else { return nil }
            return "riduzione di \(eu(importo.centesimi)) dell'impegno \(n): impegnato \(eu(i.impegnato)), \(try disponibile(i.linea))"
        case let .liquidazioneDisposta(numero, n, importo, _):
            guard let i = try registro.impegno(n) else { return nil }
            return "liquidazione \(numero) di \(eu(importo.centesimi)) sull'impegno \(n): da liquidare \(eu(i.daLiquidare))"
        case let .liquidazioneAnnullata(l, importo, _):
            guard let q = try registro.liquidazione(l) else { return nil }
            return "annullamento di \(eu(importo.centesimi)) della liquidazione \(l): da pagare \(eu(q.daPagare))"
        case let .pagamentoEmesso(m, l, importo):
            guard let q = try registro.liquidazione(l) else { return nil }
            return "mandato \(m) di \(eu(importo.centesimi)) sulla liquidazione \(l): da pagare \(eu(q.daPagare))"
        case let .residuoEliminato(n, importo, _):
            guard let i = try registro.impegno(n) else { return nil }
            return "eliminazione di \(eu(importo.centesimi)) dal residuo \(n): da pagare \(eu(i.daPagare)), \(try libero(i.linea.fonte))"
        case let .prenotazioneAssunta(numero, k, importo, _):
            return "prenotazione \(numero) di \(eu(importo.centesimi)) su \(k): \(try disponibile(k))"
        case let .prenotazioneRidotta(numero, importo, _):
            guard let p = try registro.prenotazione(numero) else { return nil }
            return "riduzione di \(eu(importo.centesimi)) della prenotazione \(numero): da impegnare \(eu(p.daImpegnare)), \(try disponibile(p.linea))"
        case let .impegnoReimputato(numero, importo, esercizio, nuovo):
            guard let i = try registro.impegno(numero) else { return nil }
            return "reimputazione di \(eu(importo.centesimi)) dall'impegno \(numero) all'esercizio \(esercizio) come impegno \(nuovo) (FPV): da liquidare sull'impegno \(numero) \(eu(i.daLiquidare)), \(try libero(i.linea.fonte))"
        case let .accertamentoRegistrato(numero, fonte, _, importo, debitore):
            guard let f = try registro.fonte(fonte) else { return nil }
            return "accertamento \(numero) di \(eu(importo.centesimi)) sulla fonte \(fonte) (debitore \(debitore)): accertato \(eu(f.accertato)) su \(eu(f.assegnato)) assegnati"
        case let .accertamentoRidotto(numero, importo, _):
            guard let a = try accertamento(numero) else { return nil }
            return "riduzione di \(eu(importo.centesimi)) dell'accertamento \(numero): da riscuotere \(eu(a.daRiscuotere))"
        case let .riscossioneRegistrata(reversale, numero, importo, _):
            guard let a = try accertamento(numero) else { return nil }
            return "reversale \(reversale) di \(eu(importo.centesimi)) sull'accertamento \(numero): da riscuotere \(eu(a.daRiscuotere))"
        case .scadenzaFissata, .scadenzaProrogata, .scadenzaRevocata, .rendicontazioneInviata:
            return e.sintesi
        case .residuoRiportato, .economiaRilevata, .esercizioChiuso, .prenotazioneDecaduta, .residuoAttivoRiportato:
            // Records of a closing: its result is the closing's own report (`Risultati.chiusura`).
            return nil
        }
    }
}
