/// `decidi` for fonti, servizi and programmazione (DOMAIN §4.1-4.4, 4.11): each command's rules, in the words of its refusals.
extension Stato {
    func decidiFonteRegistra(_ c: CodiceFonte, _ tipo: Testo, _ annualita: Int, _ importo: Importo, _ vincolata: Bool, _ descrizione: Testo?) throws(Rifiuto) -> [Evento] {
        let codice = c.testo
        try Validazione.anno(annualita, campo: "annualita")
        guard fonti[codice] == nil else { throw Rifiuto(regola: "4.11", "fonte '\(codice)' già registrata") }
        return [.fonteRegistrata(codice: codice, tipo: tipo.testo, annualita: annualita, vincolata: vincolata, importo: importo, descrizione: descrizione?.testo)]
    }

    func decidiFonteIntegra(_ c: CodiceFonte, _ importo: Importo) throws(Rifiuto) -> [Evento] {
        let codice = c.testo
        let f = try fonte(codice)
        guard f.assegnato + importo.centesimi <= Importo.centesimiMax else {
            throw Rifiuto(regola: "4.1", "fonte \(codice): integrazione \(Rifiuto.eu(importo.centesimi)) porta l'assegnato oltre il limite di 100.000.000.000,00")
        }
        return [.fonteIntegrata(fonte: codice, importo: importo)]
    }

    func decidiFonteRiduci(_ c: CodiceFonte, _ importo: Importo) throws(Rifiuto) -> [Evento] {
        let codice = c.testo
        let f = try fonte(codice)
        guard importo.centesimi <= f.libero else {
            throw Rifiuto(regola: "4.2", "fonte \(codice): riduzione \(Rifiuto.eu(importo.centesimi)) supera il libero della fonte (\(Rifiuto.eu(f.libero)))")
        }
        guard importo.centesimi <= f.assegnato - f.accertato else {
            throw Rifiuto(regola: "9.3", "fonte \(codice): riduzione \(Rifiuto.eu(importo.centesimi)) porterebbe l'assegnato sotto l'accertato (\(Rifiuto.eu(f.accertato))): riducibile al più \(Rifiuto.eu(f.assegnato - f.accertato))")
        }
        return [.fonteRidotta(fonte: codice, importo: importo)]
    }

    func decidiServizioRegistra(_ c: CodiceServizio, _ descrizione: Testo) throws(Rifiuto) -> [Evento] {
        let codice = c.testo
        guard servizi[codice] == nil else { throw Rifiuto(regola: "4.11", "servizio '\(codice)' già registrato") }
        return [.servizioRegistrato(codice: codice, descrizione: descrizione.testo)]
    }

    func decidiProgramma(_ chiave: LineaChiave, _ importo: Importo, data: DataContabile) throws(Rifiuto) -> [Evento] {
        let f = try fonte(chiave.fonte)
        _ = try servizio(chiave.servizio)
        try esercizioProgrammabile(chiave.esercizio, data: data, cosa: "programmazione")
        guard importo.centesimi <= f.libero else {
            throw Rifiuto(regola: "4.2", "programmazione \(chiave): importo \(Rifiuto.eu(importo.centesimi)) supera il libero della fonte \(f.codice) (\(Rifiuto.eu(f.libero)))")
        }
        return [.programmazioneDisposta(linea: chiave, importo: importo)]
    }

    func decidiProgrammaRiduci(_ chiave: LineaChiave, _ importo: Importo, data: DataContabile) throws(Rifiuto) -> [Evento] {
        _ = try fonte(chiave.fonte)
        _ = try servizio(chiave.servizio)
        try esercizioProgrammabile(chiave.esercizio, data: data, cosa: "riduzione di programmazione")
        let l = try linea(chiave)
        guard importo.centesimi <= disponibile(l) else {
            throw Rifiuto(regola: "4.4", "riduzione di programmazione \(chiave): importo \(Rifiuto.eu(importo.centesimi)) porterebbe la linea sotto l'impegnato e il prenotato (disponibile \(Rifiuto.eu(disponibile(l))))")
        }
        return [.programmazioneRidotta(linea: chiave, importo: importo)]
    }

    func decidiProgrammaSposta(_ c: CodiceFonte, _ esercizio: Int, _ cd: CodiceServizio, _ ca: CodiceServizio, _ importo: Importo, data: DataContabile) throws(Rifiuto) -> [Evento] {
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
    }
}
