import Fondi

/// A stored event that fails the chain or cannot be read: `verifica` reports it with exit 3.
public struct ErroreIntegrita: Error, Equatable, CustomStringConvertible {
    public let seq: Int64
    public let motivo: String
    public init(seq: Int64, motivo: String) {
        self.seq = seq
        self.motivo = motivo
    }
    public var description: String { "integrità violata all'evento seq \(seq): \(motivo)" }
}

/// What a replay knows of each event besides its content: where it stands and its chain hash.
public struct Traccia: Sendable {
    public let seq: Int64
    public let data: DataContabile
    public let hashByte: [UInt8]
}

/// One stored event row, before decoding.
struct RigaEvento {
    let seq: Int64
    let tipo: String
    let versione: Int
    let data: String
    let registratoIl: String
    let utente: String
    let chiave: String?
    let atto: String?
    let payload: [UInt8]
    let hash: [UInt8]

    func decodifica() throws(ErroreIntegrita) -> EventoRegistrato {
        guard let d = DataContabile(testo: data) else { throw ErroreIntegrita(seq: seq, motivo: "data non valida '\(data)'") }
        let evento: Evento
        do { evento = try Evento.decodifica(tipo: tipo, versione: versione, payloadByte: payload) } catch {
            throw ErroreIntegrita(seq: seq, motivo: error.motivo)
        }
        return EventoRegistrato(seq: seq, versione: versione, data: d, registratoIl: registratoIl, utente: utente, chiave: chiave,
                                atto: atto, evento: evento, hashByte: hash)
    }
}

extension Registro {
    static let colonneEvento = "seq, tipo, versione, data, registrato_il, utente, chiave, atto, payload, hash"

    /// Streams stored rows in seq order, from `da` to `fino` (inclusive), without decoding them.
    func leggiRighe(da: Int64 = 1, fino: Int64? = nil, _ corpo: (RigaEvento) throws -> Void) throws {
        let s = try connessione.istruzione("SELECT \(Self.colonneEvento) FROM evento WHERE seq >= ? AND seq <= ? ORDER BY seq")
        s.reset()
        s.lega([.intero(da), .intero(fino ?? Int64.max)])
        defer { s.reset() }
        while try s.passo() {
            try corpo(RigaEvento(seq: s.intero(0), tipo: s.testo(1), versione: Int(s.intero(2)), data: s.testo(3), registratoIl: s.testo(4),
                                 utente: s.testo(5), chiave: s.testoOpzionale(6), atto: s.testoOpzionale(7), payload: s.byte(8), hash: s.byte(9)))
        }
    }

    /// Streams decoded events in seq order. Does not check the chain (see `verificaCatena`).
    public func leggiEventi(da: Int64 = 1, fino: Int64? = nil, _ corpo: (EventoRegistrato) throws -> Void) throws {
        try leggiRighe(da: da, fino: fino) { r in try corpo(try r.decodifica()) }
    }

    /// The replay hot path: reads rows from `da` to `fino`, checks each chain link from the raw column bytes
    /// (no envelope Strings), decodes the payload and hands over what a fold needs. The first row whose
    /// recomputed hash differs from the stored one, or whose seq breaks the sequence, throws `ErroreIntegrita`.
    /// Starting after a snapshot, `da` and `precedente` give the first seq to read and the hash before it.
    /// - Complexity: O(events); one allocation per event for the payload, one for the hash.
    func ripercorri(
        da: Int64 = 1, precedente inizio: [UInt8] = Catena.hashZero, fino: Int64? = nil,
        _ corpo: (_ traccia: Traccia, _ evento: Evento, _ atto: String?) throws -> Void
    ) throws {
        let s = try connessione.istruzione("SELECT \(Self.colonneEvento) FROM evento WHERE seq >= ? AND seq <= ? ORDER BY seq")
        s.reset()
        s.lega([.intero(da), .intero(fino ?? Int64.max)])
        defer { s.reset() }
        var precedente = inizio
        var atteso = da
        var canonico: [UInt8] = []
        canonico.reserveCapacity(1024)
        while try s.passo() {
            let seq = s.intero(0)
            guard seq == atteso else { throw ErroreIntegrita(seq: atteso, motivo: "evento mancante (trovato seq \(seq))") }
            let tipo = s.grezzo(1), data = s.grezzo(3), payload = s.grezzo(8), memorizzato = s.grezzo(9)
            Canonico.scrivi(into: &canonico, seq: seq, tipo: tipo, versione: s.intero(2), data: data, registratoIl: s.grezzo(4),
                            utente: s.grezzo(5), chiave: s.nullo(6) ? nil : s.grezzo(6), atto: s.nullo(7) ? nil : s.grezzo(7), payload: payload)
            let h = Catena.hash(precedente: precedente, canonico: canonico)
            guard h.elementsEqual(memorizzato) else {
                throw ErroreIntegrita(seq: seq, motivo: "hash ricalcolato \(Catena.esadecimale(h)) diverso da quello registrato \(Catena.esadecimale(Array(memorizzato)))")
            }
            guard let d = DataContabile(byte: data) else { throw ErroreIntegrita(seq: seq, motivo: "data non valida") }
            let nomeTipo = String(decoding: tipo, as: UTF8.self)
            let evento: Evento
            do { evento = try Evento.decodifica(tipo: nomeTipo, versione: Int(s.intero(2)), payloadByte: Array(payload)) } catch {
                throw ErroreIntegrita(seq: seq, motivo: error.motivo)
            }
            // Only a fonte keeps its act (atto di assegnazione); other events need no String for it.
            let atto: String? = if case .fonteRegistrata = evento, !s.nullo(7) { s.testo(7) } else { nil }
            try corpo(Traccia(seq: seq, data: d, hashByte: h), evento, atto)
            precedente = h
            atteso += 1
        }
    }

    /// The number of events (the last seq).
    public func numeroEventi() throws(ErroreArchivio) -> Int64 { try testa().seq }
}
