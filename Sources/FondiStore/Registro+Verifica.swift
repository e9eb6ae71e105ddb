import Fondi

/// The outcome of `fondi verifica`.
public struct RapportoVerifica: Sendable {
    public let eventi: Int64
    /// The chain head: hash of the last event (64 hex digits), or 64 zeros for an empty ledger.
    public let testa: String
    /// Differences between the stored projections and a full replay; empty when sound.
    public let differenze: [String]
    /// With `--digest`: whether the chain contains an event with that hash, and its seq.
    public let digestSeq: Int64?
}

extension Registro {
    /// Rebuilds the state from the events alone, verifying the hash chain as it reads and every invariant
    /// as it applies. Stops at `fino` when given.
    /// - Parameter filtro: folds only the events it accepts (the `--al` view); the chain is still checked on all.
    /// - Throws: `ErroreIntegrita` naming the first bad seq.
    /// - Parameter archivia: let go of settled entities as they settle (ADR 0009): memory then follows the
    ///   open entities, and the state holds only those plus the fingerprints of the others. Reports and
    ///   digests are the same either way.
    /// - Complexity: O(events); memory grows with the number of entities kept.
    public func ricostruisci(
        fino: Int64? = nil, filtro: ((Traccia) -> Bool)? = nil, archivia: Bool = false, ogniEvento: ((Traccia) -> Void)? = nil
    ) throws -> Stato {
        var stato = Stato()
        stato.archiviaSaldati = archivia
        // A filtered (`--al`) view is a report, not a state the rules were checked against (DOMAIN §4.12).
        stato.tollerante = filtro != nil
        try piega(&stato, fino: fino, filtro: filtro, ogniEvento: ogniEvento)
        return stato
    }

    /// The one fold every replay uses: reads events `da`…`fino` with their chain links (`ripercorri`) and
    /// applies those `filtro` accepts to `stato`, turning a broken invariant into `ErroreIntegrita`.
    /// `dopo` sees the state after each applied event. Returns how many events were applied.
    @discardableResult
    func piega(
        _ stato: inout Stato, da: Int64 = 1, precedente: [UInt8] = Catena.hashZero, fino: Int64?,
        filtro: ((Traccia) -> Bool)? = nil, ogniEvento: ((Traccia) -> Void)?, dopo: ((Traccia, Stato) -> Void)? = nil
    ) throws -> Int64 {
        var applicati: Int64 = 0
        try ripercorri(da: da, precedente: precedente, fino: fino) { t, evento, atto in
            ogniEvento?(t)
            if let filtro, !filtro(t) { return }
            if let v = stato.applicaControllando(evento, seq: t.seq, data: t.data, atto: atto) {
                throw ErroreIntegrita(seq: t.seq, motivo: "l'evento \(evento.tipo) viola un invariante: \(v)")
            }
            applicati += 1
            Impronta.archivia(&stato)
            dopo?(t, stato)
        }
        return applicati
    }

    /// `fondi verifica`: recomputes the chain and the projections from the events and compares them with the
    /// stored projections. Throws `ErroreIntegrita` for a broken chain; returns the differences otherwise.
    /// Snapshots are checked too (DOMAIN §6): one whose digest differs from the replay at its seq is reported.
    public func verifica(digest: [UInt8]? = nil, ogniEvento: ((Traccia) -> Void)? = nil) throws -> RapportoVerifica {
        try inLettura { try verificaInterna(digest: digest, ogniEvento: ogniEvento) }
    }

    func verificaInterna(digest: [UInt8]?, ogniEvento: ((Traccia) -> Void)?) throws -> RapportoVerifica {
        var digestSeq: Int64?
        var ultimo: (seq: Int64, hash: [UInt8]) = (0, Catena.hashZero)
        let (ricostruito, istantanee) = try replayConIstantanee(fino: nil, ogniEvento: { e in
            ogniEvento?(e)
            if e.hashByte == digest, digestSeq == nil { digestSeq = e.seq }
            ultimo = (e.seq, e.hashByte)
        })
        var differenze = try differenzeDaMemorizzato(ricostruito) { try ricostruisci() }
        differenze += ricostruito.violazioniInvarianti()
        differenze += istantanee.filter { !$0.integra }.map { "istantanea al seq \($0.seq): \($0.motivo ?? "")" }
        return RapportoVerifica(eventi: ultimo.seq, testa: Catena.esadecimale(ultimo.hash), differenze: differenze, digestSeq: digestSeq)
    }

    /// Names, entity by entity, where the stored projections differ from the replay (at most 20).
    public static func differenze(atteso: Stato, trovato: Stato) -> [String] {
        var out: [String] = []
        func confronta<K: Comparable, V: Equatable>(_ nome: String, _ a: [K: V], _ b: [K: V]) {
            for k in Set(a.keys).union(b.keys).sorted() where a[k] != b[k] {
                switch (a[k], b[k]) {
                case (nil, _): out.append("\(nome) \(k): presente nelle proiezioni ma non negli eventi")
                case (_, nil): out.append("\(nome) \(k): presente negli eventi ma assente nelle proiezioni")
                default: out.append("\(nome) \(k): proiezione diversa dalla ricostruzione dagli eventi")
                }
            }
        }
        confronta("fonte", atteso.fonti, trovato.fonti)
        confronta("servizio", atteso.servizi, trovato.servizi)
        confronta("linea", atteso.linee, trovato.linee)
        confronta("impegno", atteso.impegni, trovato.impegni)
        confronta("liquidazione", atteso.liquidazioni, trovato.liquidazioni)
        confronta("mandato", atteso.mandati, trovato.mandati)
        confronta("esercizio", atteso.esercizi, trovato.esercizi)
        confronta("eliminazioni dell'impegno", atteso.eliminazioni, trovato.eliminazioni)
        confronta("prenotazione", atteso.prenotazioni, trovato.prenotazioni)
        confronta("accertamento", atteso.accertamenti, trovato.accertamenti)
        confronta("reversale", atteso.riscossioni, trovato.riscossioni)
        confronta("riduzioni dell'accertamento", atteso.riduzioniAccertamento, trovato.riduzioniAccertamento)
        confronta("scadenza", atteso.scadenze, trovato.scadenze)
        confronta("rendicontazione", atteso.rendicontazioni, trovato.rendicontazioni)
        return Array(out.prefix(20))
    }
}
