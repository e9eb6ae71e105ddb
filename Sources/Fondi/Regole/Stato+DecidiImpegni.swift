/// `decidi` for impegni and their riduzioni (DOMAIN §4.5, §9.1): each command's rules, in the words of its refusals.
extension Stato {
    func decidiImpegna(_ n: NumeroImpegno, _ chiave: LineaChiave, _ importo: Importo, _ creditore: Testo, _ oggetto: Testo, _ cig: Testo?, _ cup: Testo?, _ prenotazione: NumeroPrenotazione?, data: DataContabile) throws(Rifiuto) -> [Evento] {
        let numero = n.testo
        guard impegni[numero] == nil else { throw Rifiuto(regola: "4.3", "impegno \(numero) già esistente: il numero non può essere riusato") }
        _ = try fonte(chiave.fonte)
        _ = try servizio(chiave.servizio)
        try esercizioProgrammabile(chiave.esercizio, data: data, cosa: "impegno \(numero)")
        if let prenotazione {
            // Converts part of a prenotazione: the amount comes out of it, not out of the linea (DOMAIN §9.1).
            let p = try self.prenotazione(prenotazione.testo)
            guard p.linea == chiave else {
                throw Rifiuto(regola: "9.1", "impegno \(numero): la prenotazione \(p.numero) è sulla linea \(p.linea), non su \(chiave)")
            }
            try nonPrima(data, di: p.data, cosa: "la prenotazione \(p.numero)")
            guard importo.centesimi <= p.daImpegnare else {
                throw Rifiuto(regola: "9.1", "impegno \(numero): importo \(Rifiuto.eu(importo.centesimi)) supera il disponibile della prenotazione \(p.numero) (da impegnare \(Rifiuto.eu(p.daImpegnare)))")
            }
        } else {
            let disponibile = linee[chiave].map { self.disponibile($0) } ?? 0
            guard importo.centesimi <= disponibile else {
                throw Rifiuto(regola: "4.3", "impegno \(numero): importo \(Rifiuto.eu(importo.centesimi)) supera il disponibile della linea \(chiave) (\(Rifiuto.eu(disponibile)))")
            }
        }
        return [.impegnoAssunto(numero: numero, linea: chiave, importo: importo, creditore: creditore.testo, oggetto: oggetto.testo,
                                cig: cig?.testo, cup: cup?.testo, prenotazione: prenotazione?.testo)]
    }

    func decidiImpegnoRiduci(_ n: NumeroImpegno, _ importo: Importo, _ motivo: Testo, data: DataContabile) throws(Rifiuto) -> [Evento] {
        let numero = n.testo
        let i = try impegno(numero)
        guard !chiuso(i.linea.esercizio) else {
            throw Rifiuto(regola: "4.5", "impegno \(numero): l'esercizio \(i.linea.esercizio) è chiuso, la riduzione non è ammessa; usa 'fondi residuo elimina'")
        }
        try dataNellEsercizio(data, i.linea.esercizio, cosa: "riduzione dell'impegno \(numero)")
        try esigibile(data, i)
        guard importo.centesimi <= i.daLiquidare else {
            throw Rifiuto(regola: "4.5", "impegno \(numero): riduzione \(Rifiuto.eu(importo.centesimi)) supera il da liquidare (\(Rifiuto.eu(i.daLiquidare)))")
        }
        return [.impegnoRidotto(impegno: numero, importo: importo, motivo: motivo.testo)]
    }
}
