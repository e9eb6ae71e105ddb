extension Stato {
    /// Checks a command against every rule of DOMAIN §4 and returns the events it appends, in order.
    /// Nothing is changed: the caller applies the events (and appends them) only if this returns.
    /// - Parameter impronta: SHA-256 (hex) of bytes; the domain has no crypto, the store provides it.
    /// - Throws: `Rifiuto`, naming the value and the limit.
    public func decidi(_ comando: Comando, _ contesto: Contesto, impronta: ([UInt8]) -> String) throws(Rifiuto) -> [Evento] {
        let data = contesto.data
        // Codes and texts arrive validated and normalised (`Codice`, `Testo`: DOMAIN rule 13).
        if comando.richiedeAtto, contesto.atto == nil { throw .attoMancante(comando.nome) }
        if let ultimo = ultimoChiuso, data <= DataContabile.fineEsercizio(ultimo) {
            throw Rifiuto(regola: "4.7", "data \(data) non ammessa: l'esercizio \(ultimo) è chiuso, nessun evento può essere datato entro il 31/12/\(ultimo)")
        }
        switch comando {
        case let .fonteRegistra(c, tipo, annualita, importo, vincolata, descrizione):
            let codice = c.testo
            try Validazione.anno(annualita, campo: "annualita")
            guard fonti[codice] == nil else { throw Rifiuto(regola: "4.11", "fonte '\(codice)' già registrata") }
            return [.fonteRegistrata(codice: codice, tipo: tipo.testo, annualita: annualita, vincolata: vincolata, importo: importo, descrizione: descrizione?.testo)]

        case let .fonteIntegra(c, importo):
            let codice = c.testo
            let f = try fonte(codice)
            guard f.assegnato + importo.centesimi <= Importo.centesimiMax else {
                throw Rifiuto(regola: "4.1", "fonte \(codice): integrazione \(Rifiuto.eu(importo.centesimi)) porta l'assegnato oltre il limite di 100.000.000.000,00")
            }
            return [.fonteIntegrata(fonte: codice, importo: importo)]

        case let .fonteRiduci(c, importo):
            let codice = c.testo
            let f = try fonte(codice)
            guard importo.centesimi <= f.libero else {
                throw Rifiuto(regola: "4.2", "fonte \(codice): riduzione \(Rifiuto.eu(importo.centesimi)) supera il libero della fonte (\(Rifiuto.eu(f.libero)))")
            }
            return [.fonteRidotta(fonte: codice, importo: importo)]

        case let .servizioRegistra(c, descrizione):
            let codice = c.testo
            guard servizi[codice] == nil else { throw Rifiuto(regola: "4.11", "servizio '\(codice)' già registrato") }
            return [.servizioRegistrato(codice: codice, descrizione: descrizione.testo)]

        case let .programma(chiave, importo):
            let f = try fonte(chiave.fonte)
            _ = try servizio(chiave.servizio)
            try esercizioProgrammabile(chiave.esercizio, data: data, cosa: "programmazione")
            guard importo.centesimi <= f.libero else {
                throw Rifiuto(regola: "4.2", "programmazione \(chiave): importo \(Rifiuto.eu(importo.centesimi)) supera il libero della fonte \(f.codice) (\(Rifiuto.eu(f.libero)))")
            }
            return [.programmazioneDisposta(linea: chiave, importo: importo)]

        case let .programmaRiduci(chiave, importo):
            _ = try fonte(chiave.fonte)
            _ = try servizio(chiave.servizio)
            try esercizioProgrammabile(chiave.esercizio, data: data, cosa: "riduzione di programmazione")
            let l = try linea(chiave)
            guard importo.centesimi <= l.programmato - l.impegnato else {
                throw Rifiuto(regola: "4.4", "riduzione di programmazione \(chiave): importo \(Rifiuto.eu(importo.centesimi)) porterebbe la linea sotto l'impegnato (disponibile \(Rifiuto.eu(l.programmato - l.impegnato)))")
            }
            return [.programmazioneRidotta(linea: chiave, importo: importo)]

        case let .programmaSposta(c, esercizio, cd, ca, importo):
            let (codice, da, a) = (c.testo, cd.testo, ca.testo)
            _ = try fonte(codice)
            _ = try servizio(da)
            _ = try servizio(a)
            guard da != a else {
                throw Rifiuto(regola: "4.4", "spostamento di programmazione: servizio di origine e di destinazione coincidono ('\(da)')")
            }
            try esercizioProgrammabile(esercizio, data: data, cosa: "spostamento di programmazione")
            let origine = LineaChiave(fonte: codice, servizio: da, esercizio: esercizio)
            let l = try linea(origine)
            guard importo.centesimi <= l.programmato - l.impegnato else {
                throw Rifiuto(regola: "4.4", "spostamento da \(origine): importo \(Rifiuto.eu(importo.centesimi)) supera il disponibile della linea (\(Rifiuto.eu(l.programmato - l.impegnato)))")
            }
            return [.programmazioneSpostata(fonte: codice, esercizio: esercizio, daServizio: da, aServizio: a, importo: importo)]

        case let .impegna(n, chiave, importo, creditore, oggetto, cig, cup):
            let numero = n.testo
            guard impegni[numero] == nil else { throw Rifiuto(regola: "4.3", "impegno \(numero) già esistente: il numero non può essere riusato") }
            _ = try fonte(chiave.fonte)
            _ = try servizio(chiave.servizio)
            try esercizioProgrammabile(chiave.esercizio, data: data, cosa: "impegno \(numero)")
            let disponibile = linee[chiave].map { $0.programmato - $0.impegnato } ?? 0
            guard importo.centesimi <= disponibile else {
                throw Rifiuto(regola: "4.3", "impegno \(numero): importo \(Rifiuto.eu(importo.centesimi)) supera il disponibile della linea \(chiave) (\(Rifiuto.eu(disponibile)))")
            }
            return [.impegnoAssunto(numero: numero, linea: chiave, importo: importo, creditore: creditore.testo, oggetto: oggetto.testo, cig: cig?.testo, cup: cup?.testo)]

        case let .impegnoRiduci(n, importo, motivo):
            let numero = n.testo
            let i = try impegno(numero)
            guard !chiuso(i.linea.esercizio) else {
                throw Rifiuto(regola: "4.5", "impegno \(numero): l'esercizio \(i.linea.esercizio) è chiuso, la riduzione non è ammessa; usa 'fondi residuo elimina'")
            }
            try dataNellEsercizio(data, i.linea.esercizio, cosa: "riduzione dell'impegno \(numero)")
            try nonPrima(data, di: i.data, cosa: "l'impegno \(numero)")
            guard importo.centesimi <= i.daLiquidare else {
                throw Rifiuto(regola: "4.5", "impegno \(numero): riduzione \(Rifiuto.eu(importo.centesimi)) supera il da liquidare (\(Rifiuto.eu(i.daLiquidare)))")
            }
            return [.impegnoRidotto(impegno: numero, importo: importo, motivo: motivo.testo)]

        case let .liquida(n, ni, importo, documento):
            let (numero, numeroImpegno) = (n.testo, ni.testo)
            guard liquidazioni[numero] == nil else { throw Rifiuto(regola: "4.1", "liquidazione \(numero) già esistente: il numero non può essere riusato") }
            let i = try impegno(numeroImpegno)
            try nonPrima(data, di: i.data, cosa: "l'impegno \(numeroImpegno)")
            guard importo.centesimi <= i.daLiquidare else {
                throw Rifiuto(regola: "4.6", "liquidazione \(numero): importo \(Rifiuto.eu(importo.centesimi)) supera il da liquidare dell'impegno \(numeroImpegno) (\(Rifiuto.eu(i.daLiquidare)))")
            }
            return [.liquidazioneDisposta(numero: numero, impegno: numeroImpegno, importo: importo, documento: documento?.testo)]

        case let .liquidazioneAnnulla(n, importo, motivo):
            let numero = n.testo
            let l = try liquidazione(numero)
            try nonPrima(data, di: l.data, cosa: "la liquidazione \(numero)")
            guard importo.centesimi <= l.daPagare else {
                throw Rifiuto(regola: "4.6", "liquidazione \(numero): annullamento \(Rifiuto.eu(importo.centesimi)) supera il liquidato non pagato (\(Rifiuto.eu(l.daPagare)))")
            }
            return [.liquidazioneAnnullata(liquidazione: numero, importo: importo, motivo: motivo.testo)]

        case let .paga(m, nl, importo):
            let (mandato, numeroLiquidazione) = (m.testo, nl.testo)
            guard mandati[mandato] == nil else { throw Rifiuto(regola: "4.1", "mandato \(mandato) già emesso: il numero non può essere riusato") }
            let l = try liquidazione(numeroLiquidazione)
            try nonPrima(data, di: l.data, cosa: "la liquidazione \(numeroLiquidazione)")
            guard importo.centesimi <= l.daPagare else {
                throw Rifiuto(regola: "4.6", "mandato \(mandato): importo \(Rifiuto.eu(importo.centesimi)) supera il liquidato non pagato della liquidazione \(numeroLiquidazione) (\(Rifiuto.eu(l.daPagare)))")
            }
            return [.pagamentoEmesso(mandato: mandato, liquidazione: numeroLiquidazione, importo: importo)]

        case let .residuoElimina(n, importo, motivo):
            let numero = n.testo
            let i = try impegno(numero)
            guard let chiusura = esercizi[i.linea.esercizio]?.chiusoIl else {
                throw Rifiuto(regola: "4.8", "impegno \(numero): l'esercizio \(i.linea.esercizio) è aperto, l'eliminazione è ammessa solo sui residui; usa 'fondi impegno riduci'")
            }
            guard data >= chiusura else {
                throw Rifiuto(regola: "4.8", "eliminazione del residuo \(numero): la data \(data) precede la chiusura dell'esercizio \(i.linea.esercizio) (\(chiusura))")
            }
            guard importo.centesimi <= i.daLiquidare else {
                throw Rifiuto(regola: "4.8", "eliminazione del residuo \(numero): importo \(Rifiuto.eu(importo.centesimi)) supera il da liquidare (\(Rifiuto.eu(i.daLiquidare)))")
            }
            return [.residuoEliminato(impegno: numero, importo: importo, motivo: motivo.testo)]

        case let .chiudi(esercizio):
            return try decidiChiusura(esercizio, data: data, impronta: impronta)
        }
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
