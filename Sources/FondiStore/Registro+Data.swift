import Fondi

/// Date-filtered views (`--al`, `?al=`) built from the date frontier, the back-dated events and periodic
/// snapshots instead of a replay from the first event (ADR 0016).
///
/// A view at D folds, in seq order, the events dated up to D. Let P be the last seq before the first event
/// that raised the latest date past D (`frontiera_data`): every event up to P is dated up to D, so the view
/// starts as the plain prefix up to P, from the nearest snapshot. After P an event dated up to D was dated
/// before the latest date of its time, so it is in `evento_retrodatato` with an interval holding D. Folding
/// those afterwards keeps seq order, so the result is the filtered replay's, event for event.
extension Registro {
    /// Events between two periodic snapshots: a view folds at most this many from its nearest snapshot.
    public static let passoIstantanee: Int64 = 25_000

    /// Records which impegni the event being appended belongs to (same transaction), so an impegno's trail
    /// is read by key; `liquidazioni` (the command's working set) knows the impegno of a liquidazione.
    func indicizzaImpegni(_ evento: Evento, seq: Int64, liquidazioni: [String: Liquidazione]) throws(ErroreArchivio) {
        let impegni: [String]
        switch evento {
        case let .impegnoAssunto(numero, _, _, _, _, _, _, _), let .impegnoRidotto(numero, _, _), let .residuoRiportato(numero, _, _),
             let .residuoEliminato(numero, _, _), let .liquidazioneDisposta(_, numero, _, _):
            impegni = [numero]
        case let .impegnoReimputato(origine, _, _, nuovo): impegni = [origine, nuovo]
        case let .liquidazioneAnnullata(liquidazione, _, _), let .pagamentoEmesso(_, liquidazione, _):
            impegni = liquidazioni[liquidazione].map { [$0.impegno] } ?? []
        default: return
        }
        let s = try connessione.istruzione("INSERT INTO evento_impegno (impegno, seq) VALUES (?, ?) ON CONFLICT DO NOTHING")
        for i in impegni { try s.esegui([.testo(i), .intero(seq)]) }
    }


    /// Impegni assunti (net of riduzioni) and mandati emessi in each month of `anno`, January first (12 entries).
    public func andamentoMensile(anno: Int) throws -> [(impegnato: Int64, pagato: Int64)] {
        var mesi = [(impegnato: Int64, pagato: Int64)](repeating: (0, 0), count: 12)
        let righe = try connessione.istruzione("SELECT mese, impegnato, pagato FROM andamento_mensile WHERE mese BETWEEN ? AND ?")
            .righe([.intero(Int64(anno * 100 + 1)), .intero(Int64(anno * 100 + 12))]) { s in (s.intero(0), s.intero(1), s.intero(2)) }
        for (mese, i, p) in righe { mesi[Int(mese % 100) - 1] = (i, p) }
        return mesi
    }

    /// The last year up to `anno` with an impegno or a mandato dated in it.
    public func ultimoAnnoAndamento(finoA anno: Int) throws -> Int? {
        try connessione.istruzione("SELECT max(mese) FROM andamento_mensile WHERE mese <= ?").righe([.intero(Int64(anno * 100 + 12))]) { s in
            s.nullo(0) ? nil : Int(s.intero(0) / 100)
        }.first ?? nil
    }

    /// The events of the impegni `numeri` (their liquidazioni's and mandati's too), in seq order, up to `fino`.
    public func eventiImpegni(_ numeri: [String], fino: Int64? = nil) throws -> [EventoRegistrato] {
        var seqs: [Int64] = []
        let s = try connessione.istruzione("SELECT seq FROM evento_impegno WHERE impegno = ? AND seq <= ?")
        for n in Set(numeri) { seqs += try s.righe([.testo(n), .intero(fino ?? Int64.max)]) { r in r.intero(0) } }
        var eventi: [EventoRegistrato] = []
        for q in Set(seqs).sorted() { try leggiEventi(da: q, fino: q) { eventi.append($0) } }
        return eventi
    }

    /// The state of a view at `data` (and up to `fino`, when given): the same as
    /// `ricostruisci(fino:filtro: { $0.data <= data }, archivia: true)`, every chain link folded checked.
    /// - Complexity: at most `passoIstantanee` events from the nearest snapshot plus the blocks of 64 events
    ///   after the prefix holding events dated up to `data` (those recorded late), whatever the history's length.
    public func ricostruisciAl(_ data: DataContabile, fino: Int64? = nil, avviso: (String) -> Void = { _ in }) throws -> Stato {
        try inLettura { () throws -> Stato in
            let ultimo = try testa().seq
            let limite = min(fino ?? ultimo, ultimo)
            let giorno = IndiceDate.giorno(data)
            let oltre = try connessione.istruzione("SELECT seq FROM frontiera_data WHERE data > ? ORDER BY seq LIMIT 1")
                .righe([.intero(giorno)]) { s in s.intero(0) }.first
            let prefisso = min(limite, (oltre ?? ultimo + 1) - 1)

            var stato = Stato()
            var inizio: Int64 = 0
            var precedente = Catena.hashZero
            if let i = try istantaneaPiuVicina(fino: prefisso, avviso: avviso) { (inizio, stato, precedente) = (i.seq, i.stato, i.hash) }
            stato.archiviaSaldati = true
            stato.tollerante = true
            try piega(&stato, da: inizio + 1, precedente: precedente, fino: prefisso, ogniEvento: nil)
            guard prefisso < limite else { return stato }

            // The blocks after the prefix holding a late event dated up to `data`, merged into runs of seqs,
            // each folded with the filter and its chain links checked from the stored hash before it.
            let b = IndiceDate.blocco
            let blocchi = try connessione.istruzione("""
                SELECT blocco FROM evento_retrodatato WHERE da <= ?1 AND a >= ?1 AND blocco >= ?2 AND blocco <= ?3 ORDER BY blocco
                """).righe([.intero(giorno), .intero((prefisso + 1) / b), .intero(limite / b)]) { s in s.intero(0) }
            var tratti: [(da: Int64, a: Int64)] = []
            for k in blocchi {
                let (da, a) = (max(k * b, prefisso + 1), min(k * b + b - 1, limite))
                if let u = tratti.last, u.a + 1 == da { tratti[tratti.count - 1].a = a } else { tratti.append((da, a)) }
            }
            for t in tratti {
                try piega(&stato, da: t.da, precedente: try hashEvento(t.da - 1), fino: t.a, filtro: { $0.data <= data }, ogniEvento: nil)
            }
            return stato
        }
    }

    /// The events recorded after `dopo` and dated up to `data`, in seq order, through the date index (ADR 0016):
    /// the part of the prefix wholly dated up to `data` that follows `dopo`, then the blocks of late events whose
    /// interval holds `data`. What a rendicontazione's rettifiche read (DOMAIN §10.2).
    /// - Complexity: the events after `dopo` in the prefix plus the late blocks, not the events after `dopo`.
    public func eventiDatatiEntro(_ data: DataContabile, dopo: Int64) throws -> [EventoRegistrato] {
        try inLettura { () throws -> [EventoRegistrato] in
            let ultimo = try testa().seq
            let giorno = IndiceDate.giorno(data)
            let oltre = try connessione.istruzione("SELECT seq FROM frontiera_data WHERE data > ? ORDER BY seq LIMIT 1")
                .righe([.intero(giorno)]) { s in s.intero(0) }.first
            let prefisso = min(ultimo, (oltre ?? ultimo + 1) - 1)
            var tratti: [(da: Int64, a: Int64)] = prefisso > dopo ? [(dopo + 1, prefisso)] : []
            let primo = max(prefisso, dopo) + 1
            let b = IndiceDate.blocco
            let blocchi = try connessione.istruzione("""
                SELECT blocco FROM evento_retrodatato WHERE da <= ?1 AND a >= ?1 AND blocco >= ?2 AND blocco <= ?3 ORDER BY blocco
                """).righe([.intero(giorno), .intero(primo / b), .intero(ultimo / b)]) { s in s.intero(0) }
            for k in blocchi {
                let (da, a) = (max(k * b, primo), min(k * b + b - 1, ultimo))
                guard da <= a else { continue }
                if let u = tratti.last, u.a + 1 == da { tratti[tratti.count - 1].a = a } else { tratti.append((da, a)) }
            }
            var out: [EventoRegistrato] = []
            for t in tratti { try leggiEventi(da: t.da, fino: t.a) { e in if e.data <= data { out.append(e) } } }
            return out
        }
    }

    /// Recomputes the last event's hash from the one before it and its canonical bytes: what `fondi serve`
    /// checks before it serves a ledger (a full `verifica` takes seconds per million events). Throws
    /// `ErroreIntegrita` naming the seq when the head does not hold.
    public func verificaTesta() throws {
        try inLettura {
            let ultimo = try testa().seq
            guard ultimo > 0 else { return }
            try ripercorri(da: ultimo, precedente: try hashEvento(ultimo - 1), fino: ultimo) { _, _, _ in }
        }
    }

    /// The stored hash of event `seq` (the zero hash before the first).
    func hashEvento(_ seq: Int64) throws(ErroreArchivio) -> [UInt8] {
        guard seq > 0 else { return Catena.hashZero }
        return try connessione.istruzione("SELECT hash FROM evento WHERE seq = ?").righe([.intero(seq)]) { s in s.byte(0) }.first ?? Catena.hashZero
    }

    /// Stores the missing periodic snapshots (at every multiple of `passo`) in one fold from the nearest
    /// snapshot before the first missing one. Read in one transaction, written in another, so writers wait
    /// only for the inserts. Returns the seqs of the snapshots created.
    @discardableResult
    public func creaIstantaneePeriodiche(passo: Int64 = passoIstantanee, avviso: (String) -> Void = { _ in }) throws -> [Int64] {
        precondition(passo > 0)
        let nuove = try inLettura { () throws -> [(seq: Int64, hash: [UInt8], digest: [UInt8], dati: [UInt8])] in
            let ultimo = try testa().seq
            guard ultimo >= passo else { return [] }
            let esistenti = Set(try connessione.istruzione("SELECT seq FROM istantanea WHERE versione_codifica = ?")
                .righe([.intero(Stato.versioneCodifica)]) { s in s.intero(0) })
            let mancanti = stride(from: passo, through: ultimo, by: Int(passo)).filter { !esistenti.contains($0) }
            guard let primo = mancanti.first, let ultimoMancante = mancanti.last else { return [] }
            var stato = Stato()
            var inizio: Int64 = 0
            var precedente = Catena.hashZero
            if let i = try istantaneaPiuVicina(fino: primo, avviso: avviso) { (inizio, stato, precedente) = (i.seq, i.stato, i.hash) }
            stato.archiviaSaldati = true
            var prossimo = 0
            var risultato: [(seq: Int64, hash: [UInt8], digest: [UInt8], dati: [UInt8])] = []
            try piega(&stato, da: inizio + 1, precedente: precedente, fino: ultimoMancante, ogniEvento: nil) { t, s in
                guard prossimo < mancanti.count, t.seq == mancanti[prossimo] else { return }
                risultato.append((t.seq, t.hashByte, Self.digestByte(s), s.codificato))
                prossimo += 1
            }
            return risultato
        }
        guard !nuove.isEmpty else { return [] }
        let creata = orologio()
        try connessione.iniziaScrittura()
        do {
            let inserisci = try connessione.istruzione("""
                INSERT INTO istantanea (seq, hash_evento, creata_il, versione_codifica, digest, dati) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (seq) DO UPDATE SET hash_evento = excluded.hash_evento, creata_il = excluded.creata_il,
                    versione_codifica = excluded.versione_codifica, digest = excluded.digest, dati = excluded.dati
                """)
            for n in nuove {
                try inserisci.esegui([.intero(n.seq), .blob(n.hash), .testo(creata), .intero(Stato.versioneCodifica), .blob(n.digest), .blob(n.dati)])
            }
            try connessione.conferma()
        } catch {
            connessione.annulla()
            throw error
        }
        return nuove.map(\.seq)
    }
}

/// The date indexes of the events a transaction appends (ADR 0016): an event that raises the latest date is
/// a row of `frontiera_data` at once; an event dated before it widens its block's interval in
/// `evento_retrodatato`, written once per block at `scrivi` (an R*Tree insert costs about 6 µs: once per
/// block, not per event).
struct IndiceDate {
    static let blocco: Int64 = 64
    static func giorno(_ d: DataContabile) -> Int64 { Int64(d.anno * 10_000 + d.mese * 100 + d.giorno) }

    private let registro: Registro
    private var ultima: Int64?
    private var blocchi: [Int64: (da: Int64, a: Int64)] = [:]
    /// Per month (AAAAMM), the impegni assunti (net of riduzioni) and mandati emessi not yet added to
    /// `andamento_mensile`: one upsert per month at `scrivi`, not one per event.
    private var mesi: [Int64: (impegnato: Int64, pagato: Int64)] = [:]

    /// Adds the event to its month's impegni assunti or mandati emessi (written at `scrivi`, same transaction).
    mutating func andamento(_ evento: Evento, data: DataContabile) {
        let (impegnato, pagato): (Int64, Int64)
        switch evento {
        case let .impegnoAssunto(_, _, importo, _, _, _, _, _): (impegnato, pagato) = (importo.centesimi, 0)
        case let .impegnoRidotto(_, importo, _): (impegnato, pagato) = (-importo.centesimi, 0)
        case let .pagamentoEmesso(_, _, importo): (impegnato, pagato) = (0, importo.centesimi)
        default: return
        }
        let mese = Int64(data.anno * 100 + data.mese)
        let prima = mesi[mese] ?? (0, 0)
        mesi[mese] = (prima.impegnato + impegnato, prima.pagato + pagato)
    }

    init(registro: Registro) throws(ErroreArchivio) {
        self.registro = registro
        ultima = try registro.connessione.istruzione("SELECT data FROM frontiera_data ORDER BY seq DESC LIMIT 1").righe { s in s.intero(0) }.first
    }

    mutating func aggiungi(seq: Int64, data: DataContabile) throws(ErroreArchivio) {
        let giorno = Self.giorno(data)
        if let ultima, giorno < ultima {
            let k = seq / Self.blocco
            let (da, a) = blocchi[k] ?? (giorno, ultima - 1)
            blocchi[k] = (min(da, giorno), max(a, ultima - 1))
        } else if ultima.map({ giorno > $0 }) ?? true {
            try registro.connessione.istruzione("INSERT INTO frontiera_data (seq, data) VALUES (?, ?)").esegui([.intero(seq), .intero(giorno)])
            ultima = giorno
        }
    }

    /// Writes the blocks touched since the last call, each merged with what the ledger already has for it.
    mutating func scrivi() throws(ErroreArchivio) {
        let upsert = try registro.connessione.istruzione("""
            INSERT INTO andamento_mensile (mese, impegnato, pagato) VALUES (?, ?, ?)
            ON CONFLICT (mese) DO UPDATE SET impegnato = andamento_mensile.impegnato + excluded.impegnato,
                                              pagato = andamento_mensile.pagato + excluded.pagato
            """)
        for (mese, v) in mesi.sorted(by: { $0.key < $1.key }) {
            try upsert.esegui([.intero(mese), .intero(v.impegnato), .intero(v.pagato)])
        }
        mesi = [:]
        guard let primo = blocchi.keys.min(), let ultimo = blocchi.keys.max() else { return }
        // The blocks already stored in the range touched, in one read (the range is this batch's events / 64).
        var esistenti: [Int64: (da: Int64, a: Int64)] = [:]
        for (k, da, a) in try registro.connessione.istruzione("SELECT blocco, da, a FROM evento_retrodatato WHERE blocco >= ? AND blocco <= ?")
            .righe([.intero(primo), .intero(ultimo)], mappa: { s in (s.intero(0), s.intero(1), s.intero(2)) }) {
            esistenti[k] = (da, a)
        }
        // Then update or insert: SQLite's R*Tree takes no upsert.
        let aggiorna = try registro.connessione.istruzione("UPDATE evento_retrodatato SET da = ?, a = ? WHERE blocco = ?")
        let inserisci = try registro.connessione.istruzione("INSERT INTO evento_retrodatato (blocco, da, a) VALUES (?, ?, ?)")
        for (k, v) in blocchi.sorted(by: { $0.key < $1.key }) {
            if let e = esistenti[k] {
                try aggiorna.eseguiUnaRiga([.intero(min(v.da, e.da)), .intero(max(v.a, e.a)), .intero(k)], descrizione: "evento_retrodatato \(k)")
            } else {
                try inserisci.esegui([.intero(k), .intero(v.da), .intero(v.a)])
            }
        }
        blocchi = [:]
    }
}
