/// `decidi` for liquidazioni, their annullamenti and pagamenti (DOMAIN §4.6): each command's rules, in the words of its refusals.
extension Stato {
    func decidiLiquida(_ n: NumeroLiquidazione, _ ni: NumeroImpegno, _ importo: Importo, _ documento: Testo?, data: DataContabile) throws(Rifiuto) -> [Evento] {
        let (numero, numeroImpegno) = (n.testo, ni.testo)
        guard liquidazioni[numero] == nil else { throw Rifiuto(regola: "4.1", "liquidazione \(numero) già esistente: il numero non può essere riusato") }
        let i = try impegno(numeroImpegno)
        try esigibile(data, i)
        guard importo.centesimi <= i.daLiquidare else {
            throw Rifiuto(regola: "4.6", "liquidazione \(numero): importo \(Rifiuto.eu(importo.centesimi)) supera il da liquidare dell'impegno \(numeroImpegno) (\(Rifiuto.eu(i.daLiquidare)))")
        }
        return [.liquidazioneDisposta(numero: numero, impegno: numeroImpegno, importo: importo, documento: documento?.testo)]
    }

    func decidiLiquidazioneAnnulla(_ n: NumeroLiquidazione, _ importo: Importo, _ motivo: Testo, data: DataContabile) throws(Rifiuto) -> [Evento] {
        let numero = n.testo
        let l = try liquidazione(numero)
        try nonPrima(data, di: l.data, cosa: "la liquidazione \(numero)")
        guard importo.centesimi <= l.daPagare else {
            throw Rifiuto(regola: "4.6", "liquidazione \(numero): annullamento \(Rifiuto.eu(importo.centesimi)) supera il liquidato non pagato (\(Rifiuto.eu(l.daPagare)))")
        }
        return [.liquidazioneAnnullata(liquidazione: numero, importo: importo, motivo: motivo.testo)]
    }

    func decidiPaga(_ m: NumeroMandato, _ nl: NumeroLiquidazione, _ importo: Importo, data: DataContabile) throws(Rifiuto) -> [Evento] {
        let (mandato, numeroLiquidazione) = (m.testo, nl.testo)
        guard mandati[mandato] == nil else { throw Rifiuto(regola: "4.1", "mandato \(mandato) già emesso: il numero non può essere riusato") }
        let l = try liquidazione(numeroLiquidazione)
        try nonPrima(data, di: l.data, cosa: "la liquidazione \(numeroLiquidazione)")
        guard importo.centesimi <= l.daPagare else {
            throw Rifiuto(regola: "4.6", "mandato \(mandato): importo \(Rifiuto.eu(importo.centesimi)) supera il liquidato non pagato della liquidazione \(numeroLiquidazione) (\(Rifiuto.eu(l.daPagare)))")
        }
        return [.pagamentoEmesso(mandato: mandato, liquidazione: numeroLiquidazione, importo: importo)]
    }
}
