import Fondi

/// A stored snapshot, as listed by `fondi snapshot elenca`.
public struct InfoIstantanea: Sendable {
    public let seq: Int64
    public let creataIl: String
    /// The state digest at `seq` (ADR 0009), 64 hex digits.
    public let digest: String
    public let byte: Int64
    /// False when the stored bytes no longer match their digest or the chain: such a snapshot is ignored.
    public let integra: Bool
}

extension Registro {
    /// Every snapshot, newest first, each checked against its digest and the chain.
    public func istantanee() throws -> [InfoIstantanea] {
        try connessione.istruzione("SELECT seq, creata_il, digest, length(dati) FROM istantanea ORDER BY seq DESC")
            .righe { s in (s.intero(0), s.testo(1), s.byte(2), s.intero(3)) }
            .map { seq, creata, digest, byte in
                InfoIstantanea(seq: seq, creataIl: creata, digest: Catena.esadecimale(digest), byte: byte,
                               integra: (try? caricaIstantanea(seq: seq)) != nil)
            }
    }

    /// Loads one snapshot and checks it: throws `ErroreIntegrita` when it is of another format, does not
    /// decode, decodes to a state whose digest is not the stored one (damaged bytes), or was taken on a chain
    /// whose hash at `seq` is not the stored one. A snapshot holds only open entities (ADR 0009), so decoding
    /// it is cheap.
    func caricaIstantanea(seq: Int64) throws -> (stato: Stato, hash: [UInt8]) {
        let righe = try connessione.istruzione("SELECT hash_evento, versione_codifica, digest, dati FROM istantanea WHERE seq = ?")
            .righe([.intero(seq)]) { s in (s.byte(0), s.intero(1), s.byte(2), s.byte(3)) }
        guard let (hashEvento, versione, digest, dati) = righe.first else { throw ErroreIntegrita(seq: seq, motivo: "istantanea assente") }
        guard versione == Stato.versioneCodifica else { throw ErroreIntegrita(seq: seq, motivo: "istantanea di un formato diverso (\(versione))") }
        guard let stato = Stato(codificato: dati) else { throw ErroreIntegrita(seq: seq, motivo: "istantanea illeggibile") }
        guard Self.digestByte(stato) == digest else { throw ErroreIntegrita(seq: seq, motivo: "istantanea danneggiata: digest diverso") }
        let catena = try connessione.istruzione("SELECT hash FROM evento WHERE seq = ?").righe([.intero(seq)]) { s in s.byte(0) }
        guard catena.first == hashEvento else { throw ErroreIntegrita(seq: seq, motivo: "istantanea presa su una catena diversa") }
        return (stato, hashEvento)
    }

    /// The newest sound snapshot at or before `seq`; damaged ones are reported through `avviso` and skipped.
    func istantaneaPiuVicina(fino seq: Int64, avviso: (String) -> Void) throws -> (seq: Int64, stato: Stato, hash: [UInt8])? {
        let candidati = try connessione.istruzione("SELECT seq FROM istantanea WHERE seq <= ? ORDER BY seq DESC").righe([.intero(seq)]) { s in s.intero(0) }
        for s in candidati {
            do {
                let (stato, hash) = try caricaIstantanea(seq: s)
                return (s, stato, hash)
            } catch let e as ErroreIntegrita {
                avviso("attenzione: istantanea al seq \(s) ignorata (\(e.motivo)); si ricostruisce dagli eventi")
            }
        }
        return nil
    }

    /// Rebuilds the state at `fino` (default: the last event) from the nearest sound snapshot, folding only
    /// the tail and verifying the chain links of the tail. Returns the state and where it started from.
    /// - Complexity: O(tail) events plus the snapshot's size.
    public func ricostruisciDaIstantanea(
        fino: Int64? = nil, avviso: (String) -> Void = { _ in }, ogniEvento: ((Traccia) -> Void)? = nil
    ) throws -> (stato: Stato, daSeq: Int64?, eventi: Int64) {
        try inLettura { try ricostruisciDaIstantaneaInterna(fino: fino, avviso: avviso, ogniEvento: ogniEvento) }
    }

    func ricostruisciDaIstantaneaInterna(
        fino: Int64?, avviso: (String) -> Void, ogniEvento: ((Traccia) -> Void)?
    ) throws -> (stato: Stato, daSeq: Int64?, eventi: Int64) {
        let ultimo = try testa().seq
        let obiettivo = min(fino ?? ultimo, ultimo)
        var stato = Stato()
        stato.archiviaSaldati = true
        var inizio: Int64 = 0
        var precedente = Catena.hashZero
        if let i = try istantaneaPiuVicina(fino: obiettivo, avviso: avviso) {
            (inizio, stato, precedente) = (i.seq, i.stato, i.hash)
        }
        let n = try piega(&stato, da: inizio + 1, precedente: precedente, fino: obiettivo, ogniEvento: ogniEvento)
        return (stato, inizio > 0 ? inizio : nil, n)
    }

    /// `fondi snapshot crea`: rebuilds the state at the last event (from the nearest snapshot), checks it
    /// equals the stored projections, and stores it with its digest. Refuses (integrity) when they differ.
    public func creaIstantanea(avviso: (String) -> Void = { _ in }, ogniEvento: ((Traccia) -> Void)? = nil) throws -> InfoIstantanea {
        // Read the head, rebuild and compare in one read transaction; write the snapshot afterwards, so
        // writers are not blocked during the rebuild (the snapshot is bound to `seq`, not to the head).
        let (seq, hash, stato) = try inLettura { () throws -> (Int64, [UInt8], Stato) in
            let (seq, hash) = try testa()
            guard seq > 0 else { throw Rifiuto(regola: "6", "il registro è vuoto: nessuna istantanea da creare prima del primo evento") }
            let (stato, _, _) = try ricostruisciDaIstantanea(fino: seq, avviso: avviso, ogniEvento: ogniEvento)
            let differenze = try differenzeDaMemorizzato(stato) { try ricostruisci(fino: seq) }
            guard differenze.isEmpty else {
                throw ErroreIntegrita(seq: seq, motivo: "proiezioni diverse dalla ricostruzione, istantanea non creata: " + differenze.joined(separator: "; "))
            }
            return (seq, hash, stato)
        }
        let dati = stato.codificato
        let digest = Self.digestByte(stato)
        let creata = orologio()
        try connessione.iniziaScrittura()
        do {
            try connessione.istruzione("""
                INSERT INTO istantanea (seq, hash_evento, creata_il, versione_codifica, digest, dati) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (seq) DO UPDATE SET hash_evento = excluded.hash_evento, creata_il = excluded.creata_il,
                    versione_codifica = excluded.versione_codifica, digest = excluded.digest, dati = excluded.dati
                """).esegui([.intero(seq), .blob(hash), .testo(creata), .intero(Stato.versioneCodifica), .blob(digest), .blob(dati)])
            try connessione.conferma()
        } catch {
            connessione.annulla()
            throw error
        }
        return InfoIstantanea(seq: seq, creataIl: creata, digest: Catena.esadecimale(digest), byte: Int64(dati.count), integra: true)
    }

    /// `fondi snapshot verifica`: one full replay from the first event; at each snapshot's seq the rebuilt
    /// state's digest must equal the stored one. Returns (seq, sound) for every snapshot, oldest first.
    public func verificaIstantanee(ogniEvento: ((Traccia) -> Void)? = nil) throws -> [(seq: Int64, integra: Bool, motivo: String?)] {
        try inLettura { try verificaIstantaneeInterna(ogniEvento: ogniEvento) }
    }

    func verificaIstantaneeInterna(ogniEvento: ((Traccia) -> Void)?) throws -> [(seq: Int64, integra: Bool, motivo: String?)] {
        let ultima = try connessione.istruzione("SELECT max(seq) FROM istantanea").righe { s in s.nullo(0) ? nil : s.intero(0) }.first ?? nil
        return try replayConIstantanee(fino: ultima ?? 0, ogniEvento: ogniEvento).istantanee
    }

    /// A full replay from the first event up to `fino` (nil: the last), verifying the chain and every
    /// invariant, and checking each snapshot met on the way against the rebuilt state's digest.
    func replayConIstantanee(
        fino: Int64?, ogniEvento: ((Traccia) -> Void)? = nil
    ) throws -> (stato: Stato, istantanee: [(seq: Int64, integra: Bool, motivo: String?)]) {
        let elenco = try connessione.istruzione("SELECT seq, digest FROM istantanea ORDER BY seq").righe { s in (s.intero(0), s.byte(1)) }
        // Checked before the replay: the fold must not use the connection its reader thread is stepping.
        let leggibili = Set(elenco.map(\.0).filter { (try? caricaIstantanea(seq: $0)) != nil })
        var esiti: [(seq: Int64, integra: Bool, motivo: String?)] = []
        var prossimo = 0
        var stato = Stato()
        stato.archiviaSaldati = true
        func controlla(fino seq: Int64, _ stato: Stato) {
            while prossimo < elenco.count, elenco[prossimo].0 <= seq {
                let (s, digest) = elenco[prossimo]
                var motivo: String?
                if s < seq { motivo = "seq senza evento" }
                else if !leggibili.contains(s) { motivo = "istantanea danneggiata o illeggibile" }
                else if Self.digest(stato) != Catena.esadecimale(digest) { motivo = "diversa dalla ricostruzione completa" }
                esiti.append((s, motivo == nil, motivo))
                prossimo += 1
            }
        }
        if fino == 0 { return (stato, []) }
        try piega(&stato, fino: fino, ogniEvento: ogniEvento, dopo: { t, s in controlla(fino: t.seq, s) })
        return (stato, esiti)
    }
}

/// The outcome of `fondi replay`.
public struct EsitoReplay: Sendable {
    public let stato: Stato
    public let seq: Int64
    public let daIstantanea: Int64?
    public let eventi: Int64
    /// Whether `seq` is the last event, so the rebuilt state was compared with the stored projections.
    public let confrontato: Bool
    public let differenze: [String]
    /// Seconds spent rebuilding (snapshot load and tail fold), and comparing with the stored projections.
    public let secondiRicostruzione: Double
    public let secondiConfronto: Double
}

extension Registro {
    /// `fondi replay`: rebuilds the state at `fino` (default the last event) from the nearest snapshot and, at
    /// the last event, compares it with the stored projections, all in one read transaction.
    public func replay(fino: Int64?, avviso: (String) -> Void = { _ in }, ogniEvento: ((Traccia) -> Void)? = nil) throws -> EsitoReplay {
        try inLettura {
            let ultimo = try testa().seq
            let obiettivo = min(fino ?? ultimo, ultimo)
            let orologio = ContinuousClock()
            let t0 = orologio.now
            let r = try ricostruisciDaIstantaneaInterna(fino: obiettivo, avviso: avviso, ogniEvento: ogniEvento)
            let t1 = orologio.now
            let confrontato = obiettivo == ultimo
            let differenze = confrontato ? try differenzeDaMemorizzato(r.stato) { try ricostruisci(fino: obiettivo) } : []
            func secondi(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }
            return EsitoReplay(stato: r.stato, seq: obiettivo, daIstantanea: r.daSeq, eventi: r.eventi, confrontato: confrontato,
                               differenze: differenze, secondiRicostruzione: secondi(t1 - t0), secondiConfronto: secondi(orologio.now - t1))
        }
    }
}

/// A state and the chain position it is the replay of: what `fondi serve` keeps of the present (ADR 0018).
public struct StatoAllaTesta: Sendable {
    public let seq: Int64
    public let hash: [UInt8]
    public let stato: Stato
}

extension Registro {
    /// The state at the head, carried forward from `da` (a state this ledger was at earlier) by folding only the
    /// events appended since, with the chain checked from `da.hash` on: after a write, a few events instead of
    /// a reload of every projection. Without `da`, or when `da` is not on this chain, the nearest snapshot
    /// and its tail. The result is the replay of the chain up to the head, as `--fino-a HEAD` computes it.
    ///
    /// Returns nil when that would fold more than `massimo` events (a bulk `importa` by a CLI meanwhile, or
    /// snapshots missing): the caller then reads the projections, whose cost does not grow with the tail.
    public func statoAllaTesta(da: StatoAllaTesta?, massimo: Int64 = Registro.passoIstantanee) throws -> StatoAllaTesta? {
        try inLettura { () throws -> StatoAllaTesta? in
            let t = try testa()
            if let da, da.seq == t.seq, da.hash == t.hash { return da }
            // A state further along than this read's snapshot (another request saw a later commit): it is
            // the chain's state at a head committed before this answer, so it serves as well.
            if let da, da.seq > t.seq { return da }
            if let da, da.seq < t.seq, t.seq - da.seq <= massimo {
                var stato = da.stato
                do {
                    _ = try piega(&stato, da: da.seq + 1, precedente: da.hash, fino: t.seq, ogniEvento: nil)
                    return StatoAllaTesta(seq: t.seq, hash: t.hash, stato: stato)
                } catch is ErroreIntegrita {
                    // Not a prefix of this chain (another file at the same path): start afresh below, where a
                    // chain that is really broken is reported.
                }
            }
            let vicina = try connessione.istruzione("SELECT coalesce(max(seq), 0) FROM istantanea WHERE seq <= ?")
                .righe([.intero(t.seq)]) { s in s.intero(0) }.first ?? 0
            guard t.seq - vicina <= massimo else { return nil }
            let r = try ricostruisciDaIstantaneaInterna(fino: t.seq, avviso: { _ in }, ogniEvento: nil)
            return StatoAllaTesta(seq: t.seq, hash: t.hash, stato: r.stato)
        }
    }

    /// Whether the event at `seq` has hash `hash`: a view kept at that head is of this very chain (not of
    /// another file since put at the same path).
    public func inCatena(seq: Int64, hash: [UInt8]) throws(ErroreArchivio) -> Bool {
        try connessione.istruzione("SELECT hash FROM evento WHERE seq = ?").righe([.intero(seq)]) { s in s.byte(0) }.first == hash
    }

    /// Whether an event recorded after `seq` (up to `fino`) is dated on or before `data`: if none is, a view
    /// `--al data` made at `seq` is still the view at `fino` (ADR 0018).
    public func eventoDatatoEntro(dopo seq: Int64, fino: Int64, data: DataContabile) throws(ErroreArchivio) -> Bool {
        try connessione.istruzione("SELECT EXISTS (SELECT 1 FROM evento WHERE seq > ? AND seq <= ? AND data <= ?)")
            .righe([.intero(seq), .intero(fino), .testo(data.description)]) { s in s.intero(0) != 0 }.first ?? true
    }
}
