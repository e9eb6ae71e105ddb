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
            guard importo.centesimi <= f.assegnato - f.accertato else {
                throw Rifiuto(regola: "9.3", "fonte \(codice): riduzione \(Rifiuto.eu(importo.centesimi)) porterebbe l'assegnato sotto l'accertato (\(Rifiuto.eu(f.accertato))): riducibile al più \(Rifiuto.eu(f.assegnato - f.accertato))")
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
            guard importo.centesimi <= disponibile(l) else {
                throw Rifiuto(regola: "4.4", "riduzione di programmazione \(chiave): importo \(Rifiuto.eu(importo.centesimi)) porterebbe la linea sotto l'impegnato e il prenotato (disponibile \(Rifiuto.eu(disponibile(l))))")
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
            guard importo.centesimi <= disponibile(l) else {
                throw Rifiuto(regola: "4.4", "spostamento da \(origine): importo \(Rifiuto.eu(importo.centesimi)) supera il disponibile della linea (\(Rifiuto.eu(disponibile(l))))")
            }
            return [.programmazioneSpostata(fonte: codice, esercizio: esercizio, daServizio: da, aServizio: a, importo: importo)]

        case let .impegna(n, chiave, importo, creditore, oggetto, cig, cup, prenotazione):
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

        case let .impegnoRiduci(n, importo, motivo):
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

        case let .liquida(n, ni, importo, documento):
            let (numero, numeroImpegno) = (n.testo, ni.testo)
            guard liquidazioni[numero] == nil else { throw Rifiuto(regola: "4.1", "liquidazione \(numero) già esistente: il numero non può essere riusato") }
            let i = try impegno(numeroImpegno)
            try esigibile(data, i)
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
            let anno = i.linea.esercizio
            if let chiusura = esercizi[anno]?.chiusoIl {
                guard data >= chiusura else {
                    throw Rifiuto(regola: "4.8", "eliminazione del residuo \(numero): la data \(data) precede la chiusura dell'esercizio \(anno) (\(chiusura))")
                }
            } else {
                // The riaccertamento of the earliest open esercizio N, dated after 31/12/N (DOMAIN §9.2).
                guard data > DataContabile.fineEsercizio(anno) else {
                    throw Rifiuto(regola: "4.8", "impegno \(numero): l'esercizio \(anno) è aperto, l'eliminazione è ammessa sui residui o nel riaccertamento dopo il 31/12/\(anno); nell'esercizio usa 'fondi impegno riduci'")
                }
                if let primo = primoAperto, primo < anno {
                    throw Rifiuto(regola: "4.8", "eliminazione del residuo \(numero): il riaccertamento in corso è quello dell'esercizio \(primo); l'esercizio \(anno) si riaccerta dopo la chiusura del \(primo)")
                }
            }
            guard importo.centesimi <= i.daLiquidare else {
                throw Rifiuto(regola: "4.8", "eliminazione del residuo \(numero): importo \(Rifiuto.eu(importo.centesimi)) supera il da liquidare (\(Rifiuto.eu(i.daLiquidare)))")
            }
            return [.residuoEliminato(impegno: numero, importo: importo, motivo: motivo.testo)]

        case let .chiudi(esercizio):
            return try decidiChiusura(esercizio, data: data, impronta: impronta)

        case let .prenota(n, chiave, importo, oggetto):
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

        case let .prenotazioneRiduci(n, importo, motivo):
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

        case let .impegnoReimputa(n, importo, esercizio, nuovo):
            let numero = n.testo
            let i = try impegno(numero)
            try Validazione.anno(esercizio, campo: "esercizio")
            // N: the esercizio whose riaccertamento is under way; with no open esercizio that has lines, the
            // one after the last closed (the impegno is then a residuo of a closed year).
            let n = primoAperto ?? ((ultimoChiuso ?? i.linea.esercizio - 1) + 1)
            guard i.linea.esercizio <= n else {
                throw Rifiuto(regola: "9.2", "reimputazione dell'impegno \(numero): l'impegno è dell'esercizio \(i.linea.esercizio), il riaccertamento in corso è quello del \(n)")
            }
            guard data > DataContabile.fineEsercizio(n) else {
                throw Rifiuto(regola: "9.2", "reimputazione dell'impegno \(numero): la data \(data) deve essere successiva al 31/12/\(n) (riaccertamento dell'esercizio \(n))")
            }
            guard esercizio > n, esercizio <= n + 3 else {
                throw Rifiuto(regola: "9.2", "reimputazione dell'impegno \(numero): esercizio \(esercizio) non ammesso, atteso tra \(n + 1) e \(n + 3)")
            }
            guard !chiuso(esercizio) else { throw Rifiuto(regola: "9.2", "reimputazione dell'impegno \(numero): l'esercizio \(esercizio) è chiuso") }
            guard impegni[nuovo.testo] == nil else {
                throw Rifiuto(regola: "9.2", "impegno \(nuovo.testo) già esistente: il numero non può essere riusato")
            }
            guard importo.centesimi <= i.daLiquidare else {
                throw Rifiuto(regola: "9.2", "reimputazione dell'impegno \(numero): importo \(Rifiuto.eu(importo.centesimi)) supera il da liquidare (\(Rifiuto.eu(i.daLiquidare)))")
            }
            return [.impegnoReimputato(impegno: numero, importo: importo, esercizio: esercizio, numero: nuovo.testo)]

        case let .accerta(n, f, esercizio, importo, debitore):
            let numero = n.testo
            guard accertamenti[numero] == nil else { throw Rifiuto(regola: "9.3", "accertamento \(numero) già esistente: il numero non può essere riusato") }
            let fonte = try self.fonte(f.testo)
            try esercizioProgrammabile(esercizio, data: data, cosa: "accertamento \(numero)")
            let accertabile = fonte.assegnato - fonte.accertato
            guard importo.centesimi <= accertabile else {
                throw Rifiuto(regola: "9.3", "accertamento \(numero): importo \(Rifiuto.eu(importo.centesimi)) supera l'assegnato non ancora accertato della fonte \(fonte.codice) (\(Rifiuto.eu(accertabile)))")
            }
            return [.accertamentoRegistrato(numero: numero, fonte: fonte.codice, esercizio: esercizio, importo: importo, debitore: debitore.testo)]

        case let .accertamentoRiduci(n, importo, motivo):
            let numero = n.testo
            let a = try accertamento(numero)
            try nonPrima(data, di: a.data, cosa: "l'accertamento \(numero)")
            guard importo.centesimi <= a.daRiscuotere else {
                throw Rifiuto(regola: "9.3", "accertamento \(numero): riduzione \(Rifiuto.eu(importo.centesimi)) supera il da riscuotere (\(Rifiuto.eu(a.daRiscuotere)))")
            }
            return [.accertamentoRidotto(accertamento: numero, importo: importo, motivo: motivo.testo)]

        case let .incassa(r, n, importo, documento):
            let (reversale, numero) = (r.testo, n.testo)
            guard riscossioni[reversale] == nil else { throw Rifiuto(regola: "9.3", "reversale \(reversale) già emessa: il numero non può essere riusato") }
            let a = try accertamento(numero)
            try nonPrima(data, di: a.data, cosa: "l'accertamento \(numero)")
            guard importo.centesimi <= a.daRiscuotere else {
                throw Rifiuto(regola: "9.3", "reversale \(reversale): importo \(Rifiuto.eu(importo.centesimi)) supera il da riscuotere dell'accertamento \(numero) (\(Rifiuto.eu(a.daRiscuotere)))")
            }
            return [.riscossioneRegistrata(reversale: reversale, accertamento: numero, importo: importo, documento: documento?.testo)]
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
