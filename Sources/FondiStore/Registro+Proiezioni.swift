import Fondi

/// Reading and writing the projection tables. Each entity has one SELECT shape and one upsert.
extension Registro {
    /// Every row of an entity's table.
    func tutte<E: EntitaDescritta>(_: E.Type, _ coda: String = "") throws(ErroreArchivio) -> [E] {
        try connessione.istruzione(E.sql.selezione + coda).righe(mappa: E.leggi)
    }

    /// The row of an entity's table with this key, if any.
    func una<E: EntitaDescritta>(_: E.Type, _ chiave: ValoreSQL...) throws(ErroreArchivio) -> E? {
        try connessione.istruzione(E.sql.selezione + E.sql.doveChiave).righe(chiave, mappa: E.leggi).first
    }

    // MARK: Whole tables

    func tutteLeFonti() throws(ErroreArchivio) -> [Fonte] {
        try tutte(Fonte.self)
    }
    func tuttiIServizi() throws(ErroreArchivio) -> [Servizio] {
        try tutte(Servizio.self)
    }
    func tutteLeLinee() throws(ErroreArchivio) -> [Linea] {
        try tutte(Linea.self)
    }
    public func esercizi() throws(ErroreArchivio) -> [Esercizio] { try tuttiGliEsercizi() }
    func tuttiGliEsercizi() throws(ErroreArchivio) -> [Esercizio] {
        try tutte(Esercizio.self)
    }

    /// The full projection state as stored: what `verifica` compares with a replay.
    /// - Complexity: O(entities); reads every projection table.
    public func statoMemorizzato() throws -> Stato {
        try inLettura { try statoMemorizzatoInterno() }
    }

    func statoMemorizzatoInterno() throws(ErroreArchivio) -> Stato {
        var stato = Stato()
        func carica<E: EntitaDescritta>(_: E.Type) throws(ErroreArchivio) {
            for e in try tutte(E.self, " ORDER BY " + E.chiave.map(\.nome).joined(separator: ", ")) { e.inserisci(in: &stato) }
        }
        for t in TabellaStato.allCases { try carica(t.tipo) }
        return stato
    }

    /// Every accertamento: few (per fonte and debitore), and every report of DOMAIN §9.4 needs them.
    func tuttiGliAccertamenti() throws(ErroreArchivio) -> [Accertamento] {
        try tutte(Accertamento.self)
    }

    /// What `saldi` and `residui` need from the current state: fonti, servizi, linee, esercizi, accertamenti,
    /// and (for `residui`) every impegno with `da_pagare > 0`. Never reads the events.
    public func statoPerRapporti(impegniDaPagare: Bool) throws -> Stato {
        try inLettura { try statoPerRapportiInterno(impegniDaPagare: impegniDaPagare) }
    }

    func statoPerRapportiInterno(impegniDaPagare: Bool) throws(ErroreArchivio) -> Stato {
        var stato = Stato(fonti: try tutteLeFonti(), servizi: try tuttiIServizi(), linee: try tutteLeLinee(), esercizi: try tuttiGliEsercizi(),
                          accertamenti: try tuttiGliAccertamenti())
        // DOMAIN §10: few per fonte, and every report of scadenze and rendicontazioni needs them.
        for s in try tutte(Scadenza.self) { s.inserisci(in: &stato) }
        for r in try tutte(Rendicontazione.self) { r.inserisci(in: &stato) }
        if impegniDaPagare {
            for i in try tutte(Impegno.self, " WHERE da_pagare_centesimi > 0") { stato.inserisci(i) }
        }
        return stato
    }

    // MARK: Single rows, for what a command reports after it is recorded

    public func fonte(_ codice: String) throws(ErroreArchivio) -> Fonte? {
        try una(Fonte.self, .testo(codice))
    }
    public func linea(_ k: LineaChiave) throws(ErroreArchivio) -> Linea? {
        try una(Linea.self, .testo(k.fonte), .testo(k.servizio), .intero(Int64(k.esercizio)))
    }
    public func impegno(_ numero: String) throws(ErroreArchivio) -> Impegno? {
        try una(Impegno.self, .testo(numero))
    }
    public func liquidazione(_ numero: String) throws(ErroreArchivio) -> Liquidazione? {
        try una(Liquidazione.self, .testo(numero))
    }
    public func esisteImpegno(_ numero: String) throws(ErroreArchivio) -> Bool { try impegno(numero) != nil }
    public func esisteServizio(_ codice: String) throws(ErroreArchivio) -> Bool {
        try connessione.istruzione("SELECT 1 FROM servizio WHERE codice = ?").righe([.testo(codice)]) { _ in true }.first ?? false
    }

    /// The codes of every fonte and servizio, sorted: what a form offers to choose from (two small index scans).
    /// Every fonte and servizio code with its description (a fonte's may be absent), for the forms' choices.
    public func codici() throws(ErroreArchivio) -> (fonti: [(codice: String, descrizione: String)], servizi: [(codice: String, descrizione: String)]) {
        (try connessione.istruzione("SELECT codice, descrizione FROM fonte ORDER BY codice").righe { s in (s.testo(0), s.testoOpzionale(1) ?? "") },
         try connessione.istruzione("SELECT codice, descrizione FROM servizio ORDER BY codice").righe { s in (s.testo(0), s.testo(1)) })
    }
    /// The prenotazioni, of a fonte and an esercizio when given, by numero: their list page.
    public func prenotazioni(fonte: String?, esercizio: Int?) throws(ErroreArchivio) -> [Prenotazione] {
        try filtrate(Prenotazione.self, fonte: fonte, esercizio: esercizio)
    }
    /// The accertamenti, of a fonte and an esercizio when given, by numero: their list page.
    public func accertamenti(fonte: String?, esercizio: Int?) throws(ErroreArchivio) -> [Accertamento] {
        try filtrate(Accertamento.self, fonte: fonte, esercizio: esercizio)
    }
    /// The liquidazioni with something left to pay, the `limite` highest numbers first: a form's type-ahead.
    public func liquidazioniDaPagare(limite: Int) throws(ErroreArchivio) -> [Liquidazione] {
        try aperte(Liquidazione.self, "importo_centesimi - annullato_centesimi - pagato_centesimi > 0", limite)
    }
    /// The prenotazioni with something left to impegnare, the `limite` highest numbers first.
    public func prenotazioniDaImpegnare(limite: Int) throws(ErroreArchivio) -> [Prenotazione] {
        try aperte(Prenotazione.self, "importo_centesimi - ridotto_centesimi - impegnato_centesimi > 0"
                   + " AND esercizio NOT IN (SELECT anno FROM esercizio WHERE chiuso_il IS NOT NULL)", limite)
    }
    /// The accertamenti with something left to riscuotere, the `limite` highest numbers first.
    public func accertamentiDaRiscuotere(limite: Int) throws(ErroreArchivio) -> [Accertamento] {
        try aperte(Accertamento.self, "importo_centesimi - ridotto_centesimi - riscosso_centesimi > 0", limite)
    }
    /// Rows meeting a fixed condition (written here, never from input), the highest numbers first as an officer
    /// reads them (`L-1000` after `L-99`: the longer number first); the limit is bound.
    func aperte<E: EntitaDescritta>(_: E.Type, _ condizione: String, _ limite: Int) throws(ErroreArchivio) -> [E] {
        try connessione.istruzione(E.sql.selezione + " WHERE " + condizione + " ORDER BY length(numero) DESC, numero DESC LIMIT ?")
            .righe([.intero(Int64(limite))], mappa: E.leggi)
    }
    /// Rows of a table with `fonte` and `esercizio` columns, filtered by those given (the SQL names the columns, the values are bound).
    func filtrate<E: EntitaDescritta>(_: E.Type, fonte: String?, esercizio: Int?) throws(ErroreArchivio) -> [E] {
        var condizioni: [String] = [], valori: [ValoreSQL] = []
        if let fonte { condizioni.append("fonte = ?"); valori.append(.testo(fonte)) }
        if let esercizio { condizioni.append("esercizio = ?"); valori.append(.intero(Int64(esercizio))) }
        let dove = condizioni.isEmpty ? "" : " WHERE " + condizioni.joined(separator: " AND ")
        return try connessione.istruzione(E.sql.selezione + dove + " ORDER BY numero").righe(valori, mappa: E.leggi)
    }
    /// The highest `N` among the impegni numbered `ESERCIZIO/N` (N only digits), if any: the forms' suggestion of
    /// the next number. A range of the primary key (`E/` < numero < `E0`, `0` following `/`), not a table scan.
    public func ultimoNumeroImpegno(esercizio: Int) throws(ErroreArchivio) -> Int? {
        let prefisso = "\(esercizio)/"
        var massimo: Int?
        let sql = "SELECT numero FROM impegno WHERE numero > ? AND numero < ?"
        for numero in try connessione.istruzione(sql).righe([.testo(prefisso), .testo("\(esercizio)0")], mappa: { $0.testo(0) }) {
            guard numero.hasPrefix(prefisso) else { continue }
            let resto = numero.dropFirst(prefisso.count)
            guard !resto.isEmpty, resto.count <= 9, resto.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(resto) else { continue }
            massimo = max(massimo ?? n, n)
        }
        return massimo
    }

    /// The impegni assumed on a prenotazione.
    public func impegni(prenotazione numero: String) throws(ErroreArchivio) -> [Impegno] {
        try connessione.istruzione(Impegno.sql.selezione + " WHERE prenotazione = ? ORDER BY numero").righe([.testo(numero)], mappa: Impegno.leggi)
    }
    /// The riscossioni of an accertamento.
    public func riscossioni(accertamento numero: String) throws(ErroreArchivio) -> [Riscossione] {
        try connessione.istruzione(Riscossione.sql.selezione + " WHERE accertamento = ? ORDER BY data, reversale").righe([.testo(numero)], mappa: Riscossione.leggi)
    }
    public func prenotazione(_ numero: String) throws(ErroreArchivio) -> Prenotazione? {
        try una(Prenotazione.self, .testo(numero))
    }
    public func accertamento(_ numero: String) throws(ErroreArchivio) -> Accertamento? {
        try una(Accertamento.self, .testo(numero))
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
            let sql = Impegno.sql.selezione + " WHERE esercizio = ? AND da_pagare_centesimi > 0 AND reimputato_centesimi = 0 AND eliminato_centesimi = 0"
            return Stato.candidatiRiaccertamento(esercizio, tra: try connessione.istruzione(sql).righe([.intero(Int64(esercizio))], mappa: Impegno.leggi))
        }
    }

    // MARK: Write-back of what a command changed

    /// Writes back every entity the command changed, parents before children (the foreign keys need it).
    /// An entity read from the tables (`esistenti`) is UPDATEd and must change exactly one row; any other
    /// was created by this transaction and is INSERTed, so the database itself refuses a duplicate key.
    func scrivi(_ stato: Stato, esistenti: Set<RiferimentoEntita>) throws(ErroreArchivio) {
        func rango(_ r: RiferimentoEntita) -> Int {
            switch r {
            case .fonte: 0
            case .servizio, .accertamento: 1
            case .esercizio: 2
            case .linea: 3
            case .impegno, .prenotazione: 4
            case .liquidazione: 5
            case .mandato: 6
            case .eliminazione: 7
            case .riscossione, .riduzioneAccertamento, .scadenza, .rendicontazione: 8
            }
        }
        // Within a rank, the UPDATEs then the INSERTs: rows of one kind are then consecutive, and an engine
        // that sends them together (PostgreSQL, ADR 0026) needs a statement per kind, not one per alternation.
        let ordinati = stato.modificati.map { ($0, esistenti.contains($0)) }.sorted { a, b in
            rango(a.0) != rango(b.0) ? rango(a.0) < rango(b.0) : a.1 && !b.1
        }
        for (r, esiste) in ordinati {
            switch r {
            case let .fonte(c): try scrivi(stato.fonti[c]!, esiste: esiste)
            case let .servizio(c): try scrivi(stato.servizi[c]!, esiste: esiste)
            case let .linea(k): try scrivi(stato.linee[k]!, esiste: esiste)
            case let .impegno(n): try scrivi(stato.impegni[n]!, esiste: esiste)
            case let .liquidazione(n): try scrivi(stato.liquidazioni[n]!, esiste: esiste)
            case let .mandato(n): try scrivi(stato.mandati[n]!, esiste: esiste)
            case let .esercizio(a): try scrivi(stato.esercizi[a]!, esiste: esiste)
            case let .eliminazione(i, seq): try scrivi(stato.eliminazioni[i]!.first { $0.seq == seq }!, esiste: esiste)
            case let .prenotazione(n): try scrivi(stato.prenotazioni[n]!, esiste: esiste)
            case let .accertamento(n): try scrivi(stato.accertamenti[n]!, esiste: esiste)
            case let .riscossione(n): try scrivi(stato.riscossioni[n]!, esiste: esiste)
            case let .riduzioneAccertamento(a, seq): try scrivi(stato.riduzioniAccertamento[a]!.first { $0.seq == seq }!, esiste: esiste)
            case let .scadenza(n): try scrivi(stato.scadenze[n]!, esiste: esiste)
            case let .rendicontazione(n): try scrivi(stato.rendicontazioni[n]!, esiste: esiste)
            }
        }
    }

    /// One entity written back: an UPDATE of its variable fields that must change exactly one row when it
    /// was read from the table, else an INSERT of every field.
    func scrivi<E: EntitaDescritta>(_ e: E, esiste: Bool) throws(ErroreArchivio) {
        if esiste, let sql = E.sql.aggiornamento {
            try connessione.istruzione(sql).eseguiUnaRiga(e.valoriAggiornamento, descrizione: "\(e.riferimento)")
        } else {
            try connessione.istruzione(E.sql.inserimento).esegui(e.valori)
        }
    }
}
