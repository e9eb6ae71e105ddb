/// `decidi` for prenotazioni d'impegno (DOMAIN §9.1): each command's rules, in the words of its refusals.
extension Stato {
    func decidiPrenota(_ n: NumeroPrenotazione, _ chiave: LineaChiave, _ importo: Importo, _ oggetto: Testo, data: DataContabile) throws(Rifiuto) -> [Evento] {
        let numero = n.testo
        guard prenotazioni[numero] == nil else { throw Rifiuto(regola: "9.1", "prenotazione \(numero) già esistente: il numero non può essere riusato") }
        _ = try fonte(chiave.fonte)
        _ = try servizio(chiave.servizio)
        try esercizioProgrammabile(chiave.esercizio, data: data, cosa: "prenotazione \(numero)")
        let disponibile = linee[chiave].map { self.disponibile($0) } ?? 0
        guard importo.centesimi <= disponibile else {
            throw Rifiuto(regola: "9.1", "prenotazione \(numero): importo \(Rifiuto.eu(importo.centesimi)) supera il disponibile della linea \(chiave) (\(Rifiuto.eu(disponibile)))")
        }
        return [.prenotazioneAssunta(numero: numero, linea: chiave, importo: importo, oggetto: oggetto.testo)]
    }

    func decidiPrenotazioneRiduci(_ n: NumeroPrenotazione, _ importo: Importo, _ motivo: Testo, data: DataContabile) throws(Rifiuto) -> [Evento] {
        let numero = n.testo
        let p = try prenotazione(numero)
        guard !chiuso(p.linea.esercizio) else {
            throw Rifiuto(regola: "9.1", "prenotazione \(numero): l'esercizio \(p.linea.esercizio) è chiuso, la prenotazione è decaduta")
        }
        try dataNellEsercizio(data, p.linea.esercizio, cosa: "riduzione della prenotazione \(numero)")
        try nonPrima(data, di: p.data, cosa: "la prenotazione \(numero)")
        guard importo.centesimi <= p.daImpegnare else {
            throw Rifiuto(regola: "9.1", "prenotazione \(numero): riduzione \(Rifiuto.eu(importo.centesimi)) supera il da impegnare (\(Rifiuto.eu(p.daImpegnare)))")
        }
        return [.prenotazioneRidotta(prenotazione: numero, importo: importo, motivo: motivo.testo)]
    }
}
