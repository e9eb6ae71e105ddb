import Fondi

extension Comando {
    /// What an idempotency key is bound to (DOMAIN §4.10): the subcommand, its parsed values (amounts in
    /// cents), the act and the defaulted `--data`; never `--chiave`, `--utente` or `--formato`.
    func contenuto(_ contesto: Contesto) -> String {
        var v: [String: ValoreJSON] = ["comando": .stringa(nome), "data": .stringa(contesto.data.description)]
        if let atto = contesto.atto { v["atto"] = .stringa(atto.testo) }
        func s(_ k: String, _ x: String?) { if let x { v[k] = .stringa(x) } }
        func s(_ k: String, _ x: Codice?) { s(k, x?.testo) }
        func s<T>(_ k: String, _ x: Numero<T>?) { s(k, x?.testo) }
        func s(_ k: String, _ x: Testo?) { s(k, x?.testo) }
        func n(_ k: String, _ x: Int) { v[k] = .intero(Int64(x)) }
        func i(_ x: Importo) { v["importo"] = .intero(x.centesimi) }
        func l(_ k: LineaChiave) { s("fonte", k.fonte); s("servizio", k.servizio); n("esercizio", k.esercizio) }
        switch self {
        case let .fonteRegistra(codice, tipo, annualita, importo, vincolata, descrizione):
            s("codice", codice); s("tipo", tipo); n("annualita", annualita); i(importo); v["vincolata"] = .booleano(vincolata)
            s("descrizione", descrizione)
        case let .fonteIntegra(codice, importo), let .fonteRiduci(codice, importo):
            s("codice", codice); i(importo)
        case let .servizioRegistra(codice, descrizione):
            s("codice", codice); s("descrizione", descrizione)
        case let .programma(k, importo), let .programmaRiduci(k, importo):
            l(k); i(importo)
        case let .programmaSposta(fonte, esercizio, da, a, importo):
            s("fonte", fonte); n("esercizio", esercizio); s("da", da); s("a", a); i(importo)
        case let .impegna(numero, k, importo, creditore, oggetto, cig, cup, prenotazione):
            s("numero", numero); l(k); i(importo); s("creditore", creditore); s("oggetto", oggetto); s("cig", cig); s("cup", cup)
            s("prenotazione", prenotazione)
        case let .impegnoRiduci(impegno, importo, motivo), let .residuoElimina(impegno, importo, motivo):
            s("impegno", impegno); i(importo); s("motivo", motivo)
        case let .liquida(numero, impegno, importo, documento):
            s("numero", numero); s("impegno", impegno); i(importo); s("documento", documento)
        case let .liquidazioneAnnulla(liquidazione, importo, motivo):
            s("liquidazione", liquidazione); i(importo); s("motivo", motivo)
        case let .paga(mandato, liquidazione, importo):
            s("mandato", mandato); s("liquidazione", liquidazione); i(importo)
        case let .chiudi(esercizio):
            n("esercizio", esercizio)
        case let .prenota(numero, k, importo, oggetto):
            s("numero", numero); l(k); i(importo); s("oggetto", oggetto)
        case let .prenotazioneRiduci(prenotazione, importo, motivo):
            s("prenotazione", prenotazione); i(importo); s("motivo", motivo)
        case let .impegnoReimputa(impegno, importo, esercizio, numero):
            s("impegno", impegno); i(importo); n("esercizio", esercizio); s("numero", numero)
        case let .accerta(numero, fonte, esercizio, importo, debitore):
            s("numero", numero); s("fonte", fonte); n("esercizio", esercizio); i(importo); s("debitore", debitore)
        case let .accertamentoRiduci(accertamento, importo, motivo):
            s("accertamento", accertamento); i(importo); s("motivo", motivo)
        case let .incassa(reversale, accertamento, importo, documento):
            s("reversale", reversale); s("accertamento", accertamento); i(importo); s("documento", documento)
        case let .scadenzaFissa(numero, fonte, tipo, termine, soglia, base, destinatario, copertura):
            s("numero", numero); s("fonte", fonte); s("tipo", tipo.rawValue); s("termine", termine.description)
            if let soglia { n("soglia", soglia) }
            s("base", base?.rawValue); s("destinatario", destinatario); s("copertura", copertura?.description)
        case let .scadenzaProroga(scadenza, termine, motivo):
            s("scadenza", scadenza); s("termine", termine.description); s("motivo", motivo)
        case let .scadenzaRevoca(scadenza, motivo):
            s("scadenza", scadenza); s("motivo", motivo)
        case let .rendiconta(numero, destinatario, al, fonti, motivo):
            s("numero", numero); s("destinatario", destinatario); s("al", al.description); s("motivo", motivo)
            s("fonti", fonti?.map(\.testo).joined(separator: ","))
        }
        return ValoreJSON.oggetto(v).testoCanonico
    }
}
