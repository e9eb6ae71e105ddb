import Fondi

/// Reading and writing the projection tables. Each entity has one SELECT shape and one upsert.
extension Registro {
    // Column lists follow `Stato.scrivi` field by field (the fingerprint scan reads them in this order).
    static let colonneFonte = "codice, tipo, annualita, vincolata, descrizione, atto, assegnato_centesimi, vincolato_centesimi, accertato_centesimi, riscosso_centesimi"
    static let colonneLinea = "fonte, servizio, esercizio, programmato_centesimi, impegnato_centesimi, liquidato_centesimi, pagato_centesimi, prenotato_centesimi, fpv_entrata_centesimi, fpv_spesa_centesimi"
    static let colonneImpegno = "numero, fonte, servizio, esercizio, data, creditore, oggetto, assunto_centesimi, ridotto_centesimi, eliminato_centesimi, liquidato_centesimi, pagato_centesimi, reimputato_centesimi, prenotazione, origine, cig, cup"
    static let colonnePrenotazione = "numero, fonte, servizio, esercizio, data, oggetto, importo_centesimi, ridotto_centesimi, impegnato_centesimi"
    static let colonneAccertamento = "numero, fonte, esercizio, data, debitore, importo_centesimi, ridotto_centesimi, riscosso_centesimi"
    static let colonneRiscossione = "reversale, accertamento, data, importo_centesimi"
    static let colonneRiduzioneAccertamento = "seq, accertamento, data, importo_centesimi"
    static let colonneLiquidazione = "numero, impegno, data, importo_centesimi, annullato_centesimi, pagato_centesimi"
    static let colonneMandato = "numero, liquidazione, data, importo_centesimi"
    static let colonneEliminazione = "seq, impegno, data, importo_centesimi"

    // MARK: Row decoding. A malformed date in a projection row is a corrupt file.

    static func data(_ s: any Istruzione, _ c: Int) throws(ErroreArchivio) -> DataContabile {
        guard let d = DataContabile(testo: s.testo(c)) else {
            throw ErroreArchivio(codice: 11, messaggio: "il file del registro è danneggiato: data non valida '\(s.testo(c))'", dettaglio: "data")
        }
        return d
    }

    static func fonte(_ s: any Istruzione) -> Fonte {
        Fonte(codice: s.testo(0), tipo: s.testo(1), annualita: Int(s.intero(2)), vincolata: s.intero(3) != 0,
              descrizione: s.testoOpzionale(4), atto: s.testoOpzionale(5), assegnato: s.intero(6), vincolato: s.intero(7),
              accertato: s.intero(8), riscosso: s.intero(9))
    }
    static func linea(_ s: any Istruzione) -> Linea {
        Linea(chiave: LineaChiave(fonte: s.testo(0), servizio: s.testo(1), esercizio: Int(s.intero(2))),
              programmato: s.intero(3), impegnato: s.intero(4), liquidato: s.intero(5), pagato: s.intero(6),
              prenotazioni: s.intero(7), fpvEntrata: s.intero(8), fpvSpesa: s.intero(9))
    }
    static func impegno(_ s: any Istruzione) throws(ErroreArchivio) -> Impegno {
        Impegno(numero: s.testo(0), linea: LineaChiave(fonte: s.testo(1), servizio: s.testo(2), esercizio: Int(s.intero(3))),
                data: try data(s, 4), creditore: s.testo(5), oggetto: s.testo(6), assunto: s.intero(7), ridotto: s.intero(8),
                eliminato: s.intero(9), liquidato: s.intero(10), pagato: s.intero(11), reimputato: s.intero(12),
                prenotazione: s.testoOpzionale(13), origine: s.testoOpzionale(14), cig: s.testoOpzionale(15), cup: s.testoOpzionale(16))
    }
    static func prenotazione(_ s: any Istruzione) throws(ErroreArchivio) -> Prenotazione {
        Prenotazione(numero: s.testo(0), linea: LineaChiave(fonte: s.testo(1), servizio: s.testo(2), esercizio: Int(s.intero(3))),
                     data: try data(s, 4), oggetto: s.testo(5), importo: s.intero(6), ridotto: s.intero(7), impegnato: s.intero(8))
    }
    static func accertamento(_ s: any Istruzione) throws(ErroreArchivio) -> Accertamento {
        Accertamento(numero: s.testo(0), fonte: s.testo(1), esercizio: Int(s.intero(2)), data: try data(s, 3), debitore: s.testo(4),
                     importo: s.intero(5), ridotto: s.intero(6), riscosso: s.intero(7))
    }
    static func riscossione(_ s: any Istruzione) throws(ErroreArchivio) -> Riscossione {
        Riscossione(reversale: s.testo(0), accertamento: s.testo(1), data: try data(s, 2), importo: s.intero(3))
    }
    static func riduzioneAccertamento(_ s: any Istruzione) throws(ErroreArchivio) -> RiduzioneAccertamento {
        RiduzioneAccertamento(seq: s.intero(0), accertamento: s.testo(1), data: try data(s, 2), importo: s.intero(3))
    }
    static func liquidazione(_ s: any Istruzione) throws(ErroreArchivio) -> Liquidazione {
        Liquidazione(numero: s.testo(0), impegno: s.testo(1), data: try data(s, 2), importo: s.intero(3),
                     annullato: s.intero(4), pagato: s.intero(5))
    }
    static func mandato(_ s: any Istruzione) throws(ErroreArchivio) -> Mandato {
        Mandato(numero: s.testo(0), liquidazione: s.testo(1), data: try data(s, 2), importo: s.intero(3))
    }
    static func eliminazione(_ s: any Istruzione) throws(ErroreArchivio) -> Eliminazione {
        Eliminazione(seq: s.intero(0), impegno: s.testo(1), data: try data(s, 2), importo: s.intero(3))
    }
    static func esercizio(_ s: any Istruzione) throws(ErroreArchivio) -> Esercizio {
        Esercizio(anno: Int(s.intero(0)), chiusoIl: s.nullo(1) ? nil : try data(s, 1))
    }

    // MARK: Whole tables

    func tutteLeFonti() throws(ErroreArchivio) -> [Fonte] {
        try connessione.istruzione("SELECT \(Self.colonneFonte) FROM fonte").righe(mappa: Self.fonte)
    }
    func tuttiIServizi() throws(ErroreArchivio) -> [Servizio] {
        try connessione.istruzione("SELECT codice, descrizione FROM servizio").righe { s in Servizio(codice: s.testo(0), descrizione: s.testo(1)) }
    }
    func tutteLeLinee() throws(ErroreArchivio) -> [Linea] {
        try connessione.istruzione("SELECT \(Self.colonneLinea) FROM linea").righe(mappa: Self.linea)
    }
    public func esercizi() throws(ErroreArchivio) -> [Esercizio] { try tuttiGliEsercizi() }
    func tuttiGliEsercizi() throws(ErroreArchivio) -> [Esercizio] {
        try connessione.istruzione("SELECT anno, chiuso_il FROM esercizio").righe(mappa: Self.esercizio)
    }

    /// The full projection state as stored: what `verifica` compares with a replay.
    /// - Complexity: O(entities); reads every projection table.
    public func statoMemorizzato() throws -> Stato {
        try inLettura { try statoMemorizzatoInterno() }
    }

    func statoMemorizzatoInterno() throws(ErroreArchivio) -> Stato {
        Stato(
            fonti: try tutteLeFonti(), servizi: try tuttiIServizi(), linee: try tutteLeLinee(),
            impegni: try connessione.istruzione("SELECT \(Self.colonneImpegno) FROM impegno").righe(mappa: Self.impegno),
            liquidazioni: try connessione.istruzione("SELECT \(Self.colonneLiquidazione) FROM liquidazione").righe(mappa: Self.liquidazione),
            mandati: try connessione.istruzione("SELECT \(Self.colonneMandato) FROM mandato").righe(mappa: Self.mandato),
            esercizi: try tuttiGliEsercizi(),
            eliminazioni: try connessione.istruzione("SELECT \(Self.colonneEliminazione) FROM eliminazione ORDER BY seq").righe(mappa: Self.eliminazione),
            prenotazioni: try connessione.istruzione("SELECT \(Self.colonnePrenotazione) FROM prenotazione").righe(mappa: Self.prenotazione),
            accertamenti: try tuttiGliAccertamenti(),
            riscossioni: try connessione.istruzione("SELECT \(Self.colonneRiscossione) FROM riscossione").righe(mappa: Self.riscossione),
            riduzioniAccertamento: try connessione.istruzione("SELECT \(Self.colonneRiduzioneAccertamento) FROM riduzione_accertamento ORDER BY seq")
                .righe(mappa: Self.riduzioneAccertamento)
        )
    }

    /// Every accertamento: few (per fonte and debitore), and every report of DOMAIN §9.4 needs them.
    func tuttiGliAccertamenti() throws(ErroreArchivio) -> [Accertamento] {
        try connessione.istruzione("SELECT \(Self.colonneAccertamento) FROM accertamento").righe(mappa: Self.accertamento)
    }

    /// What `saldi` and `residui` need from the current state: fonti, servizi, linee, esercizi, accertamenti,
    /// and (for `residui`) every impegno with `da_pagare > 0`. Never reads the events.
    public func statoPerRapporti(impegniDaPagare: Bool) throws -> Stato {
        try inLettura { try statoPerRapportiInterno(impegniDaPagare: impegniDaPagare) }
    }

    func statoPerRapportiInterno(impegniDaPagare: Bool) throws(ErroreArchivio) -> Stato {
        var stato = Stato(fonti: try tutteLeFonti(), servizi: try tuttiIServizi(), linee: try tutteLeLinee(), esercizi: try tuttiGliEsercizi(),
                          accertamenti: try tuttiGliAccertamenti())
        if impegniDaPagare {
            let sql = "SELECT \(Self.colonneImpegno) FROM impegno WHERE da_pagare_centesimi > 0"
            for i in try connessione.istruzione(sql).righe(mappa: Self.impegno) { stato.inserisci(i) }
        }
        return stato
    }

    // MARK: Single rows, for what a command reports after it is recorded

    public func fonte(_ codice: String) throws(ErroreArchivio) -> Fonte? {
        try connessione.istruzione("SELECT \(Self.colonneFonte) FROM fonte WHERE codice = ?").righe([.testo(codice)], mappa: Self.fonte).first
    }
    public func linea(_ k: LineaChiave) throws(ErroreArchivio) -> Linea? {
        try connessione.istruzione("SELECT \(Self.colonneLinea) FROM linea WHERE fonte = ? AND servizio = ? AND esercizio = ?")
            .righe([.testo(k.fonte), .testo(k.servizio), .intero(Int64(k.esercizio))], mappa: Self.linea).first
    }
    public func impegno(_ numero: String) throws(ErroreArchivio) -> Impegno? {
        try connessione.istruzione("SELECT \(Self.colonneImpegno) FROM impegno WHERE numero = ?").righe([.testo(numero)], mappa: Self.impegno).first
    }
    public func liquidazione(_ numero: String) throws(ErroreArchivio) -> Liquidazione? {
        try connessione.istruzione("SELECT \(Self.colonneLiquidazione) FROM liquidazione WHERE numero = ?")
            .righe([.testo(numero)], mappa: Self.liquidazione).first
    }
    public func esisteImpegno(_ numero: String) throws(ErroreArchivio) -> Bool { try impegno(numero) != nil }
    public func esisteServizio(_ codice: String) throws(ErroreArchivio) -> Bool {
        try connessione.istruzione("SELECT 1 FROM servizio WHERE codice = ?").righe([.testo(codice)]) { _ in true }.first ?? false
    }

    /// The codes of every fonte and servizio, sorted: what a form offers to choose from (two small index scans).
    public func codici() throws(ErroreArchivio) -> (fonti: [String], servizi: [String]) {
        (try connessione.istruzione("SELECT codice FROM fonte ORDER BY codice").righe { s in s.testo(0) },
         try connessione.istruzione("SELECT codice FROM servizio ORDER BY codice").righe { s in s.testo(0) })
    }
    public func prenotazione(_ numero: String) throws(ErroreArchivio) -> Prenotazione? {
        try connessione.istruzione("SELECT \(Self.colonnePrenotazione) FROM prenotazione WHERE numero = ?")
            .righe([.testo(numero)], mappa: Self.prenotazione).first
    }
    public func accertamento(_ numero: String) throws(ErroreArchivio) -> Accertamento? {
        try connessione.istruzione("SELECT \(Self.colonneAccertamento) FROM accertamento WHERE numero = ?")
            .righe([.testo(numero)], mappa: Self.accertamento).first
    }

    /// The impegni it was reimputed from, nearest first: the trail back of `storia --impegno` (DOMAIN §9.4).
    public func origini(impegno numero: String) throws(ErroreArchivio) -> [String] {
        var out: [String] = []
        var corrente = try impegno(numero)?.origine
        while let o = corrente, !out.contains(o) {
            out.append(o)
            corrente = try impegno(o)?.origine
        }
        return out
    }

    /// `chiudi --prova` (DOMAIN §9.2): the impegni of N with something to liquidate that the riaccertamento
    /// has not touched, in impegno order.
    public func candidatiRiaccertamento(esercizio: Int) throws -> [Impegno] {
        try inLettura {
            let sql = """
                SELECT \(Self.colonneImpegno) FROM impegno WHERE esercizio = ? AND da_pagare_centesimi > 0
                AND reimputato_centesimi = 0 AND eliminato_centesimi = 0
                """
            var s = Stato(impegni: try connessione.istruzione(sql).righe([.intero(Int64(esercizio))], mappa: Self.impegno))
            s.inserisci(Esercizio(anno: esercizio))
            return s.candidatiRiaccertamento(esercizio)
        }
    }

    // MARK: Write-back of what a command changed

    /// Writes back every entity the command changed, parents before children (the foreign keys need it).
    /// An entity read from the tables (`esistenti`) is UPDATEd and must change exactly one row; any other
    /// was created by this transaction and is INSERTed, so SQLite itself refuses a duplicate key.
    func scrivi(_ stato: Stato, esistenti: Set<RiferimentoEntita>) throws(ErroreArchivio) {
        func rango(_ r: RiferimentoEntita) -> Int {
            switch r {
            case .fonte: 0
            case .servizio: 1
            case .esercizio: 2
            case .linea: 3
            case .impegno: 4
            case .liquidazione: 5
            case .mandato: 6
            case .eliminazione: 7
            case .prenotazione: 4
            case .accertamento: 1
            case .riscossione, .riduzioneAccertamento: 8
            }
        }
        for r in stato.modificati.sorted(by: { rango($0) < rango($1) }) {
            let esiste = esistenti.contains(r)
            switch r {
            case let .fonte(c): try scriviFonte(c, in: stato, esiste: esiste, r)
            case let .servizio(c): try scriviServizio(c, in: stato)
            case let .linea(k): try scriviLinea(k, in: stato, esiste: esiste, r)
            case let .impegno(n): try scriviImpegno(n, in: stato, esiste: esiste, r)
            case let .liquidazione(n): try scriviLiquidazione(n, in: stato, esiste: esiste, r)
            case let .mandato(n): try scriviMandato(n, in: stato)
            case let .esercizio(a): try scriviEsercizio(a, in: stato, esiste: esiste, r)
            case let .eliminazione(impegno, seq): try scriviEliminazione(impegno, seq, in: stato)
            case let .prenotazione(n): try scriviPrenotazione(n, in: stato, esiste: esiste, r)
            case let .accertamento(n): try scriviAccertamento(n, in: stato, esiste: esiste, r)
            case let .riscossione(n): try scriviRiscossione(n, in: stato)
            case let .riduzioneAccertamento(a, seq): try scriviRiduzioneAccertamento(a, seq, in: stato)
            }
        }
    }

    /// An UPDATE that must change exactly one row (the entity was read from the tables).
    func aggiorna(_ sql: String, _ valori: [ValoreSQL], _ r: RiferimentoEntita) throws(ErroreArchivio) {
        try connessione.istruzione(sql).eseguiUnaRiga(valori, descrizione: "\(r)")
    }

    func scriviFonte(_ c: String, in stato: Stato, esiste: Bool, _ r: RiferimentoEntita) throws(ErroreArchivio) {
        let f = stato.fonti[c]!
        if esiste {
            try aggiorna("UPDATE fonte SET assegnato_centesimi = ?, vincolato_centesimi = ?, accertato_centesimi = ?, riscosso_centesimi = ? WHERE codice = ?",
                         [.intero(f.assegnato), .intero(f.vincolato), .intero(f.accertato), .intero(f.riscosso), .testo(f.codice)], r)
        } else {
            try connessione.istruzione("INSERT INTO fonte (\(Self.colonneFonte)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .esegui([.testo(f.codice), .testo(f.tipo), .intero(Int64(f.annualita)), .intero(f.vincolata ? 1 : 0),
                         .opzionale(f.descrizione), .opzionale(f.atto), .intero(f.assegnato), .intero(f.vincolato),
                         .intero(f.accertato), .intero(f.riscosso)])
        }
    }

    func scriviServizio(_ c: String, in stato: Stato) throws(ErroreArchivio) {
        let s = stato.servizi[c]!
        try connessione.istruzione("INSERT INTO servizio (codice, descrizione) VALUES (?, ?)").esegui([.testo(s.codice), .testo(s.descrizione)])
    }

    func scriviLinea(_ k: LineaChiave, in stato: Stato, esiste: Bool, _ r: RiferimentoEntita) throws(ErroreArchivio) {
        let l = stato.linee[k]!
        if esiste {
            try aggiorna("""
                UPDATE linea SET programmato_centesimi = ?, impegnato_centesimi = ?, liquidato_centesimi = ?, pagato_centesimi = ?,
                    prenotato_centesimi = ?, fpv_entrata_centesimi = ?, fpv_spesa_centesimi = ?
                WHERE fonte = ? AND servizio = ? AND esercizio = ?
                """, [.intero(l.programmato), .intero(l.impegnato), .intero(l.liquidato), .intero(l.pagato),
                      .intero(l.prenotazioni), .intero(l.fpvEntrata), .intero(l.fpvSpesa),
                      .testo(k.fonte), .testo(k.servizio), .intero(Int64(k.esercizio))], r)
        } else {
            try connessione.istruzione("INSERT INTO linea (\(Self.colonneLinea)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .esegui([.testo(k.fonte), .testo(k.servizio), .intero(Int64(k.esercizio)), .intero(l.programmato),
                         .intero(l.impegnato), .intero(l.liquidato), .intero(l.pagato), .intero(l.prenotazioni),
                         .intero(l.fpvEntrata), .intero(l.fpvSpesa)])
        }
    }

    func scriviImpegno(_ n: String, in stato: Stato, esiste: Bool, _ r: RiferimentoEntita) throws(ErroreArchivio) {
        let i = stato.impegni[n]!
        if esiste {
            try aggiorna("""
                UPDATE impegno SET ridotto_centesimi = ?, eliminato_centesimi = ?, liquidato_centesimi = ?, pagato_centesimi = ?,
                    reimputato_centesimi = ?
                WHERE numero = ?
                """, [.intero(i.ridotto), .intero(i.eliminato), .intero(i.liquidato), .intero(i.pagato), .intero(i.reimputato),
                      .testo(i.numero)], r)
        } else {
            try connessione.istruzione("INSERT INTO impegno (\(Self.colonneImpegno)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .esegui([.testo(i.numero), .testo(i.linea.fonte), .testo(i.linea.servizio), .intero(Int64(i.linea.esercizio)),
                         .testo(i.data.description), .testo(i.creditore), .testo(i.oggetto), .intero(i.assunto),
                         .intero(i.ridotto), .intero(i.eliminato), .intero(i.liquidato), .intero(i.pagato), .intero(i.reimputato),
                         .opzionale(i.prenotazione), .opzionale(i.origine), .opzionale(i.cig), .opzionale(i.cup)])
        }
    }

    func scriviLiquidazione(_ n: String, in stato: Stato, esiste: Bool, _ r: RiferimentoEntita) throws(ErroreArchivio) {
        let l = stato.liquidazioni[n]!
        if esiste {
            try aggiorna("UPDATE liquidazione SET annullato_centesimi = ?, pagato_centesimi = ? WHERE numero = ?",
                         [.intero(l.annullato), .intero(l.pagato), .testo(l.numero)], r)
        } else {
            try connessione.istruzione("INSERT INTO liquidazione (\(Self.colonneLiquidazione)) VALUES (?, ?, ?, ?, ?, ?)")
                .esegui([.testo(l.numero), .testo(l.impegno), .testo(l.data.description), .intero(l.importo),
                         .intero(l.annullato), .intero(l.pagato)])
        }
    }

    func scriviMandato(_ n: String, in stato: Stato) throws(ErroreArchivio) {
        let m = stato.mandati[n]!
        try connessione.istruzione("INSERT INTO mandato (\(Self.colonneMandato)) VALUES (?, ?, ?, ?)")
            .esegui([.testo(m.numero), .testo(m.liquidazione), .testo(m.data.description), .intero(m.importo)])
    }

    func scriviEsercizio(_ a: Int, in stato: Stato, esiste: Bool, _ r: RiferimentoEntita) throws(ErroreArchivio) {
        let e = stato.esercizi[a]!
        if esiste {
            try aggiorna("UPDATE esercizio SET chiuso_il = ? WHERE anno = ?", [.opzionale(e.chiusoIl?.description), .intero(Int64(e.anno))], r)
        } else {
            try connessione.istruzione("INSERT INTO esercizio (anno, chiuso_il) VALUES (?, ?)")
                .esegui([.intero(Int64(e.anno)), .opzionale(e.chiusoIl?.description)])
        }
    }

    func scriviEliminazione(_ impegno: String, _ seq: Int64, in stato: Stato) throws(ErroreArchivio) {
        let e = stato.eliminazioni[impegno]!.first { $0.seq == seq }!
        try connessione.istruzione("INSERT INTO eliminazione (\(Self.colonneEliminazione)) VALUES (?, ?, ?, ?)")
            .esegui([.intero(e.seq), .testo(e.impegno), .testo(e.data.description), .intero(e.importo)])
    }

    func scriviPrenotazione(_ n: String, in stato: Stato, esiste: Bool, _ r: RiferimentoEntita) throws(ErroreArchivio) {
        let p = stato.prenotazioni[n]!
        if esiste {
            try aggiorna("UPDATE prenotazione SET ridotto_centesimi = ?, impegnato_centesimi = ? WHERE numero = ?",
                         [.intero(p.ridotto), .intero(p.impegnato), .testo(p.numero)], r)
        } else {
            try connessione.istruzione("INSERT INTO prenotazione (\(Self.colonnePrenotazione)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .esegui([.testo(p.numero), .testo(p.linea.fonte), .testo(p.linea.servizio), .intero(Int64(p.linea.esercizio)),
                         .testo(p.data.description), .testo(p.oggetto), .intero(p.importo), .intero(p.ridotto), .intero(p.impegnato)])
        }
    }

    func scriviAccertamento(_ n: String, in stato: Stato, esiste: Bool, _ r: RiferimentoEntita) throws(ErroreArchivio) {
        let a = stato.accertamenti[n]!
        if esiste {
            try aggiorna("UPDATE accertamento SET ridotto_centesimi = ?, riscosso_centesimi = ? WHERE numero = ?",
                         [.intero(a.ridotto), .intero(a.riscosso), .testo(a.numero)], r)
        } else {
            try connessione.istruzione("INSERT INTO accertamento (\(Self.colonneAccertamento)) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .esegui([.testo(a.numero), .testo(a.fonte), .intero(Int64(a.esercizio)), .testo(a.data.description), .testo(a.debitore),
                         .intero(a.importo), .intero(a.ridotto), .intero(a.riscosso)])
        }
    }

    func scriviRiscossione(_ n: String, in stato: Stato) throws(ErroreArchivio) {
        let x = stato.riscossioni[n]!
        try connessione.istruzione("INSERT INTO riscossione (\(Self.colonneRiscossione)) VALUES (?, ?, ?, ?)")
            .esegui([.testo(x.reversale), .testo(x.accertamento), .testo(x.data.description), .intero(x.importo)])
    }

    func scriviRiduzioneAccertamento(_ a: String, _ seq: Int64, in stato: Stato) throws(ErroreArchivio) {
        let x = stato.riduzioniAccertamento[a]!.first { $0.seq == seq }!
        try connessione.istruzione("INSERT INTO riduzione_accertamento (\(Self.colonneRiduzioneAccertamento)) VALUES (?, ?, ?, ?)")
            .esegui([.intero(x.seq), .testo(x.accertamento), .testo(x.data.description), .intero(x.importo)])
    }
}
