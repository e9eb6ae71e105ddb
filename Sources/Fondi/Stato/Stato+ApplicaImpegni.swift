/// `applica` for impegni, liquidazioni and pagamenti: how each event changes the state (checked invariants, never refusals).
extension Stato {
    mutating func applicaImpegnoAssunto(_ numero: String, _ chiave: LineaChiave, _ importo: Importo, _ creditore: String, _ oggetto: String, _ cig: String?, _ cup: String?, _ prenotazione: String?, data: DataContabile) {
        controlla(impegni[numero] == nil, "impegno \(numero) assunto due volte")
        controlla(!chiuso(chiave.esercizio), "impegno su esercizio chiuso \(chiave.esercizio)")
        impegni[numero] = Impegno(numero: numero, linea: chiave, data: data, creditore: creditore, oggetto: oggetto,
                                  assunto: importo.centesimi, prenotazione: prenotazione, cig: cig, cup: cup)
        segna(.impegno(numero))
        if let prenotazione {
            // The amount comes out of the prenotazione, not out of the linea's disponibile (DOMAIN §9.1).
            modificaPrenotazione(prenotazione) { $0.impegnato += importo.centesimi }
            modificaLinea(chiave) { $0.impegnato += importo.centesimi; $0.prenotazioni -= importo.centesimi }
        } else {
            modificaLinea(chiave) { $0.impegnato += importo.centesimi }
        }
    }

    mutating func applicaLiquidazioneDisposta(_ numero: String, _ impegno: String, _ importo: Importo, data: DataContabile) {
        controlla(liquidazioni[numero] == nil, "liquidazione \(numero) disposta due volte")
        liquidazioni[numero] = Liquidazione(numero: numero, impegno: impegno, data: data, importo: importo.centesimi)
        segna(.liquidazione(numero))
        guard let chiave = modificaImpegno(impegno, { $0.liquidato += importo.centesimi }) else { return }
        modificaLinea(chiave) { $0.liquidato += importo.centesimi }
    }

    mutating func applicaPagamentoEmesso(_ mandato: String, _ liquidazione: String, _ importo: Importo, data: DataContabile) {
        controlla(mandati[mandato] == nil, "mandato \(mandato) emesso due volte")
        let nuovo = Mandato(numero: mandato, liquidazione: liquidazione, data: data, importo: importo.centesimi)
        if archiviaSaldati {
            saldati.aggiungi(nuovo)
        } else {
            mandati[mandato] = nuovo
        }
        segna(.mandato(mandato))
        guard let impegno = modificaLiquidazione(liquidazione, { $0.pagato += importo.centesimi }),
              let chiave = modificaImpegno(impegno, { $0.pagato += importo.centesimi }) else { return }
        modificaLinea(chiave) { $0.pagato += importo.centesimi }
    }
}
