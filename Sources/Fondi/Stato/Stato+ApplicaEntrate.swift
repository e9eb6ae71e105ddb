/// `applica` for prenotazioni and entrate (accertamenti, riscossioni): how each event changes the state (checked invariants, never refusals).
extension Stato {
    mutating func applicaPrenotazioneAssunta(_ numero: String, _ chiave: LineaChiave, _ importo: Importo, _ oggetto: String, data: DataContabile) {
        controlla(prenotazioni[numero] == nil, "prenotazione \(numero) assunta due volte")
        controlla(!chiuso(chiave.esercizio), "prenotazione su esercizio chiuso \(chiave.esercizio)")
        prenotazioni[numero] = Prenotazione(numero: numero, linea: chiave, data: data, oggetto: oggetto, importo: importo.centesimi)
        segna(.prenotazione(numero))
        modificaLinea(chiave) { $0.prenotazioni += importo.centesimi }
    }

    mutating func applicaAccertamentoRegistrato(_ numero: String, _ fonte: String, _ esercizio: Int, _ importo: Importo, _ debitore: String, data: DataContabile) {
        controlla(accertamenti[numero] == nil, "accertamento \(numero) registrato due volte")
        controlla(!chiuso(esercizio), "accertamento su esercizio chiuso \(esercizio)")
        accertamenti[numero] = Accertamento(numero: numero, fonte: fonte, esercizio: esercizio, data: data, debitore: debitore,
                                            importo: importo.centesimi)
        segna(.accertamento(numero))
        apriEsercizio(esercizio)
        modificaFonte(fonte) { $0.accertato += importo.centesimi }
    }

    mutating func applicaAccertamentoRidotto(_ numero: String, _ importo: Importo, seq: Int64, data: DataContabile) {
        guard let fonte = modificaAccertamento(numero, { $0.ridotto += importo.centesimi }) else { return }
        modificaFonte(fonte) { $0.accertato -= importo.centesimi }
        let nuova = RiduzioneAccertamento(seq: seq, accertamento: numero, data: data, importo: importo.centesimi)
        if archiviaSaldati {
            saldati.aggiungi(nuova)
        } else {
            riduzioniAccertamento[numero, default: []].append(nuova)
        }
        segna(.riduzioneAccertamento(accertamento: numero, seq: seq))
    }

    mutating func applicaRiscossioneRegistrata(_ reversale: String, _ accertamento: String, _ importo: Importo, data: DataContabile) {
        controlla(riscossioni[reversale] == nil, "reversale \(reversale) emessa due volte")
        let nuova = Riscossione(reversale: reversale, accertamento: accertamento, data: data, importo: importo.centesimi)
        if archiviaSaldati {
            saldati.aggiungi(nuova)
        } else {
            riscossioni[reversale] = nuova
        }
        segna(.riscossione(reversale))
        guard let fonte = modificaAccertamento(accertamento, { $0.riscosso += importo.centesimi }) else { return }
        modificaFonte(fonte) { $0.riscosso += importo.centesimi }
    }
}
