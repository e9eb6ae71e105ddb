import Fondi

/// `fondi copia`: moves a whole ledger into an empty one, on the same engine or the other (ADR 0020).
extension Registro {
    /// What a copy did.
    public struct EsitoCopia: Sendable {
        public let eventi: Int64
        public let testa: String
        public let chiavi: Int
    }

    /// A copy refused before anything was written.
    public struct CopiaRifiutata: Error, CustomStringConvertible {
        public let messaggio: String
        public var description: String { messaggio }
    }

    /// Copies every event of this ledger into `destinazione`, which must hold none, in one write transaction:
    /// the target has the whole ledger or nothing. Each stored row is copied byte for byte (an event of an
    /// older version keeps its version and payload), its link recomputed from the source's bytes and compared
    /// with the source's stored hash before it is written: a broken source chain stops the copy with the seq.
    /// The target computes the same hash from the same canonical bytes (DOMAIN §6), its projections are
    /// folded from the events as a replay would, and the idempotency keys come along, so a command repeated
    /// with its key after the move is still recognised. Users, sessions and snapshots stay behind: they
    /// belong to a deployment, not to the ledger. The copy is verified at the end (`verifica`, from the
    /// first event), and its head must equal the source's.
    public func copia(in destinazione: Registro, ogniEvento: ((Int64) -> Void)? = nil) throws -> EsitoCopia {
        let d = destinazione.connessione
        try d.iniziaScrittura()
        do {
            let presenti = try destinazione.testa().seq
            guard presenti == 0 else {
                throw CopiaRifiutata(messaggio: "il registro di destinazione '\(destinazione.percorso)' contiene già \(presenti) eventi: la copia va fatta in un registro vuoto (nulla è stato scritto)")
            }
            try copiaEventi(in: destinazione, ogniEvento: ogniEvento)
            let chiavi = try inLettura {
                try connessione.istruzione("SELECT chiave, contenuto, primo_seq, ultimo_seq FROM chiave_idempotenza ORDER BY chiave")
                    .righe { s in (s.testo(0), s.testo(1), s.intero(2), s.intero(3)) }
            }
            let scriviChiave = try d.istruzione("INSERT INTO chiave_idempotenza (chiave, contenuto, primo_seq, ultimo_seq) VALUES (?, ?, ?, ?)")
            for (chiave, contenuto, primo, ultimo) in chiavi {
                try scriviChiave.esegui([.testo(chiave), .testo(contenuto), .intero(primo), .intero(ultimo)])
            }
            // Before the commit, the target reads back what it wrote (its chain from the first event and its
            // projections) and its head must be the source's: a copy that does not verify is never committed.
            let rapporto = try destinazione.verifica()
            let origine = try testa()
            guard rapporto.differenze.isEmpty, rapporto.eventi == origine.seq, rapporto.testa == Catena.esadecimale(origine.hash) else {
                throw ErroreIntegrita(seq: rapporto.eventi, motivo: "la copia non supera la verifica, nulla è stato scritto: \(rapporto.differenze.first ?? "testa diversa dall'origine")")
            }
            try d.conferma()
            return EsitoCopia(eventi: rapporto.eventi, testa: rapporto.testa, chiavi: chiavi.count)
        } catch {
            if d.inTransazione { d.annulla() }
            throw error
        }
    }

    /// Copies the event rows in order, checking the source's chain, and writes the target's projections and
    /// date index folded from them. The fold is dropped when this returns, before the copy is verified (which
    /// folds the ledger again): a copy holds one state of the ledger at a time.
    private func copiaEventi(in destinazione: Registro, ogniEvento: ((Int64) -> Void)?) throws {
        let d = destinazione.connessione
        var stato = Stato()
        stato.tracciaModifiche = true
        var date = try IndiceDate(registro: destinazione)
        var precedente = Catena.hashZero
        var atteso: Int64 = 1
        let inserisci = try d.istruzione("""
            INSERT INTO evento (seq, tipo, versione, data, registrato_il, utente, chiave, atto, payload, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        try inLettura {
            try leggiRighe { r in
                guard r.seq == atteso else { throw ErroreIntegrita(seq: atteso, motivo: "evento mancante nel registro di origine (trovato seq \(r.seq))") }
                let canonico = Canonico.evento(seq: r.seq, tipo: r.tipo, versione: r.versione, data: r.data, registratoIl: r.registratoIl,
                                               utente: r.utente, chiave: r.chiave, atto: r.atto, payload: r.payload)
                let hash = Catena.hash(precedente: precedente, canonico: canonico)
                guard hash == r.hash else {
                    throw ErroreIntegrita(seq: r.seq, motivo: "nel registro di origine l'hash ricalcolato \(Catena.esadecimale(hash)) è diverso da quello registrato: nulla è stato copiato")
                }
                let e = try r.decodifica()
                try inserisci.esegui([.intero(r.seq), .testo(r.tipo), .intero(Int64(r.versione)), .testo(r.data), .testo(r.registratoIl),
                                      .testo(r.utente), .opzionale(r.chiave), .opzionale(r.atto),
                                      .testo(String(decoding: r.payload, as: UTF8.self)), .blob(r.hash)])
                try date.aggiungi(seq: r.seq, data: e.data)
                try destinazione.indicizzaImpegni(e.evento, seq: r.seq, liquidazioni: stato.liquidazioni)
                date.andamento(e.evento, data: e.data)
                if let v = stato.applicaControllando(e.evento, seq: r.seq, data: e.data, atto: e.atto) {
                    throw ErroreIntegrita(seq: r.seq, motivo: "l'evento \(e.evento.tipo) viola un invariante: \(v)")
                }
                precedente = hash
                atteso += 1
                ogniEvento?(r.seq)
            }
        }
        try destinazione.scrivi(stato, esistenti: [])
        try date.scrivi()
    }
}
