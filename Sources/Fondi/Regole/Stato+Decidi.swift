extension Stato {
    /// Checks a command against every rule of DOMAIN §4 and returns the events it appends, in order.
    /// Nothing is changed: the caller applies the events (and appends them) only if this returns.
    /// - Parameter impronta: SHA-256 (hex) of bytes; the domain has no crypto, the store provides it.
    /// - Throws: `Rifiuto`, naming the value and the limit.
    public func decidi(_ comando: Comando, _ contesto: Contesto, impronta: ([UInt8]) -> String) throws(Rifiuto) -> [Evento] {
        let data = contesto.data
        try ammetti(comando, contesto)
        switch comando {
        case let .fonteRegistra(c, tipo, annualita, importo, vincolata, descrizione): return try decidiFonteRegistra(c, tipo, annualita, importo, vincolata, descrizione)
        case let .fonteIntegra(c, importo): return try decidiFonteIntegra(c, importo)
        case let .fonteRiduci(c, importo): return try decidiFonteRiduci(c, importo)
        case let .servizioRegistra(c, descrizione): return try decidiServizioRegistra(c, descrizione)
        case let .programma(chiave, importo): return try decidiProgramma(chiave, importo, data: data)
        case let .programmaRiduci(chiave, importo): return try decidiProgrammaRiduci(chiave, importo, data: data)
        case let .programmaSposta(c, esercizio, cd, ca, importo): return try decidiProgrammaSposta(c, esercizio, cd, ca, importo, data: data)
        case let .impegna(n, chiave, importo, creditore, oggetto, cig, cup, prenotazione): return try decidiImpegna(n, chiave, importo, creditore, oggetto, cig, cup, prenotazione, data: data)
        case let .impegnoRiduci(n, importo, motivo): return try decidiImpegnoRiduci(n, importo, motivo, data: data)
        case let .liquida(n, ni, importo, documento): return try decidiLiquida(n, ni, importo, documento, data: data)
        case let .liquidazioneAnnulla(n, importo, motivo): return try decidiLiquidazioneAnnulla(n, importo, motivo, data: data)
        case let .paga(m, nl, importo): return try decidiPaga(m, nl, importo, data: data)
        case let .residuoElimina(n, importo, motivo): return try decidiResiduoElimina(n, importo, motivo, data: data)
        case let .chiudi(esercizio): return try decidiChiudi(esercizio, data: data, impronta: impronta)
        case let .prenota(n, chiave, importo, oggetto): return try decidiPrenota(n, chiave, importo, oggetto, data: data)
        case let .prenotazioneRiduci(n, importo, motivo): return try decidiPrenotazioneRiduci(n, importo, motivo, data: data)
        case let .impegnoReimputa(n, importo, esercizio, nuovo): return try decidiImpegnoReimputa(n, importo, esercizio, nuovo, data: data)
        case let .accerta(n, f, esercizio, importo, debitore): return try decidiAccerta(n, f, esercizio, importo, debitore, data: data)
        case let .accertamentoRiduci(n, importo, motivo): return try decidiAccertamentoRiduci(n, importo, motivo, data: data)
        case let .incassa(r, n, importo, documento): return try decidiIncassa(r, n, importo, documento, data: data)
        case let .scadenzaFissa(n, f, tipo, termine, soglia, base, destinatario, copertura):
            return try decidiScadenzaFissa(n, f, tipo, termine, soglia, base, destinatario, copertura, data: data)
        case let .scadenzaProroga(n, termine, motivo): return try decidiScadenzaProroga(n, termine, motivo, data: data)
        case let .scadenzaRevoca(n, motivo): return try decidiScadenzaRevoca(n, motivo, data: data)
        case let .rendiconta(n, destinatario, al, fonti, motivo): return try decidiRendiconta(n, destinatario, al, fonti, motivo, data: data)
        }
    }

    /// The rules every command meets before its own (DOMAIN §4.7, the atto): `decidi` checks them first.
    public func ammetti(_ comando: Comando, _ contesto: Contesto) throws(Rifiuto) {
        // Codes and texts arrive validated and normalised (`Codice`, `Testo`: DOMAIN rule 13).
        if comando.richiedeAtto, contesto.atto == nil { throw .attoMancante(comando.nome) }
        if let ultimo = ultimoChiuso, contesto.data <= DataContabile.fineEsercizio(ultimo) {
            throw Rifiuto(regola: "4.7", "data \(contesto.data) non ammessa: l'esercizio \(ultimo) è chiuso, nessun evento può essere datato entro il 31/12/\(ultimo)")
        }
    }

    /// An impegno is liquidated, reduced or paid neither before it was assumed nor, when reimputed to a later
    /// esercizio M, before 1/1/M (DOMAIN §9.2).
    func esigibile(_ data: DataContabile, _ i: Impegno) throws(Rifiuto) {
        if i.esigibileDal > i.data, data < i.esigibileDal {
            throw Rifiuto(regola: "9.2", "data \(data) anteriore al \(i.esigibileDal): l'impegno \(i.numero) è reimputato all'esercizio \(i.linea.esercizio) ed è esigibile da quella data")
        }
        try nonPrima(data, di: i.data, cosa: "l'impegno \(i.numero)")
    }

    // MARK: - Lookups that refuse unknown codes (DOMAIN §4.1)

    func fonte(_ c: String) throws(Rifiuto) -> Fonte {
        guard let f = fonti[c] else { throw .fonteSconosciuta(c) }
        return f
    }
    func servizio(_ c: String) throws(Rifiuto) -> Servizio {
        guard let s = servizi[c] else { throw .servizioSconosciuto(c) }
        return s
    }
    func linea(_ k: LineaChiave) throws(Rifiuto) -> Linea {
        guard let l = linee[k] else { throw .lineaSconosciuta(k) }
        return l
    }
    func impegno(_ n: String) throws(Rifiuto) -> Impegno {
        guard let i = impegni[n] else { throw .impegnoSconosciuto(n) }
        return i
    }
    func liquidazione(_ n: String) throws(Rifiuto) -> Liquidazione {
        guard let l = liquidazioni[n] else { throw .liquidazioneSconosciuta(n) }
        return l
    }
    func prenotazione(_ n: String) throws(Rifiuto) -> Prenotazione {
        guard let p = prenotazioni[n] else { throw Rifiuto(regola: "4.1", "prenotazione '\(n)' sconosciuta") }
        return p
    }
    func accertamento(_ n: String) throws(Rifiuto) -> Accertamento {
        guard let a = accertamenti[n] else { throw Rifiuto(regola: "4.1", "accertamento '\(n)' sconosciuto") }
        return a
    }

    // MARK: - Dates and esercizi (DOMAIN §4.3, §4.7)

    /// Programmazione and impegni need an open esercizio after the last closed one, and a date inside it.
    func esercizioProgrammabile(_ esercizio: Int, data: DataContabile, cosa: String) throws(Rifiuto) {
        try Validazione.anno(esercizio, campo: "esercizio")
        if chiuso(esercizio) || (ultimoChiuso.map { esercizio <= $0 } ?? false) {
            throw Rifiuto(regola: "4.7", "\(cosa): l'esercizio \(esercizio) è chiuso")
        }
        try dataNellEsercizio(data, esercizio, cosa: cosa)
    }

    func dataNellEsercizio(_ data: DataContabile, _ esercizio: Int, cosa: String) throws(Rifiuto) {
        guard data.anno == esercizio else {
            throw Rifiuto(regola: "4.7", "\(cosa): la data \(data) è fuori dall'esercizio \(esercizio) (dal \(esercizio)-01-01 al \(esercizio)-12-31)")
        }
    }

    func nonPrima(_ data: DataContabile, di origine: DataContabile, cosa: String) throws(Rifiuto) {
        guard data >= origine else {
            throw Rifiuto(regola: "4.7", "data \(data) anteriore a \(cosa), datato \(origine)")
        }
    }
}
