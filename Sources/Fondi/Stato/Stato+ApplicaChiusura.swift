/// `applica` for the closing and the riaccertamento (eliminazioni, reimputazioni): how each event changes the state (checked invariants, never refusals).
extension Stato {
    mutating func applicaEsercizioChiuso(_ esercizio: Int, data: DataContabile) {
        controlla(!chiuso(esercizio), "esercizio \(esercizio) chiuso due volte")
        // Each linea of the esercizio now weighs on its fonte with its impegnato instead of its programmato
        // (what was prenotato and never committed becomes economia).
        for linea in linee.values where linea.chiave.esercizio == esercizio {
            modificaFonte(linea.chiave.fonte) { $0.vincolato -= linea.programmato - linea.impegnato }
        }
        if archiviaSaldati {
            // A prenotazione of a closed esercizio can change no more: let it go (ADR 0009).
            for p in prenotazioni.values where p.linea.esercizio == esercizio {
                saldati.aggiungi(p)
                prenotazioni[p.numero] = nil
            }
        }
        var e = esercizi[esercizio] ?? Esercizio(anno: esercizio)
        e.chiusoIl = data
        esercizi[esercizio] = e
        segna(.esercizio(esercizio))
    }

    mutating func applicaResiduoEliminato(_ numero: String, _ importo: Importo, seq: Int64, data: DataContabile) {
        guard let chiave = modificaImpegno(numero, { $0.eliminato += importo.centesimi }) else { return }
        modificaLinea(chiave) { $0.impegnato -= importo.centesimi }
        // On a closed linea the amount becomes economia and goes back to the fonte; on the open esercizio
        // of the riaccertamento (DOMAIN §9.2) it goes back to the linea's disponibile.
        if chiuso(chiave.esercizio) { modificaFonte(chiave.fonte) { $0.vincolato -= importo.centesimi } }
        let nuova = Eliminazione(seq: seq, impegno: numero, data: data, importo: importo.centesimi)
        if archiviaSaldati {
            saldati.aggiungi(nuova)
        } else {
            eliminazioni[numero, default: []].append(nuova)
        }
        segna(.eliminazione(impegno: numero, seq: seq))
    }

    mutating func applicaImpegnoReimputato(_ numero: String, _ importo: Importo, _ esercizio: Int, _ nuovo: String, data: DataContabile) {
        // FPV: out of the impegno's linea (fpv di spesa), into the same fonte and servizio in `esercizio`
        // (fpv di entrata), where a new impegno takes the amount. libero(F) does not move (DOMAIN §9.2).
        guard let origine = impegni[numero] else { return controlla(false, "impegno \(numero) assente") }
        modificaImpegno(numero) { $0.reimputato += importo.centesimi }
        let x = importo.centesimi
        modificaLinea(origine.linea) { $0.programmato -= x; $0.impegnato -= x; $0.fpvSpesa += x }
        // The fonte's vincolato loses X on the origin (its programmato if open, its impegnato if closed) and
        // gains X on the open destination: it does not change.
        let destinazione = LineaChiave(fonte: origine.linea.fonte, servizio: origine.linea.servizio, esercizio: esercizio)
        controlla(impegni[nuovo] == nil, "impegno \(nuovo) assunto due volte")
        controlla(!chiuso(esercizio), "reimputazione su esercizio chiuso \(esercizio)")
        apriEsercizio(esercizio)
        impegni[nuovo] = Impegno(numero: nuovo, linea: destinazione, data: data, creditore: origine.creditore, oggetto: origine.oggetto,
                                 assunto: x, origine: numero, cig: origine.cig, cup: origine.cup)
        segna(.impegno(nuovo))
        modificaLinea(destinazione, crea: true) { $0.programmato += x; $0.impegnato += x; $0.fpvEntrata += x }
    }
}
