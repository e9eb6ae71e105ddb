import Dispatch
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
    /// recomputed hash differs from the stored one, or whose seq breaks the sequence, throws `ErroreIntegrita`
    /// after every event before it has been handed over. Starting after a snapshot, `da` and `precedente`
    /// give the first seq to read and the hash before it.
    ///
    /// Reading, hashing and decoding run on a second thread, in batches, while `corpo` folds on the caller's
    /// thread (ADR 0009): `corpo` must not use this registro's connection.
    /// - Complexity: O(events); memory is a few batches, whatever the number of events.
    func ripercorri(
        da: Int64 = 1, precedente inizio: [UInt8] = Catena.hashZero, fino: Int64? = nil,
        _ corpo: (_ traccia: Traccia, _ evento: Evento, _ atto: String?) throws -> Void
    ) throws {
        let s = try connessione.istruzione("SELECT \(Self.colonneEvento) FROM evento WHERE seq >= ? AND seq <= ? ORDER BY seq")
        s.reset()
        s.lega([.intero(da), .intero(fino ?? Int64.max)])
        defer { s.reset() }
        let lettore = LettoreCatena(istruzione: s, atteso: da)
        let condotto = Condotto<LottoEventi>(capacita: 4)
        let finito = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            lettore.produci(in: condotto)
            finito.signal()
        }
        // Whatever happens here, the reader has stopped using the statement before this function returns.
        var chiuso = false
        defer {
            if !chiuso {
                condotto.annulla()
                while !condotto.ricevi().ultimo {}
            }
            finito.wait()
        }
        // The chain links are checked here, on the folding thread, which has the lighter load: the reader
        // copies each row's canonical bytes and stored hash into the batch.
        var precedente = inizio
        while true {
            let lotto = condotto.ricevi()
            if lotto.ultimo { chiuso = true }
            var inizioRiga = 0
            for k in 0..<lotto.fini.count {
                let h = lotto.canonici.withUnsafeBytes { Catena.hash(precedente: precedente, canonico: UnsafeRawBufferPointer(rebasing: $0[inizioRiga..<lotto.fini[k]])) }
                inizioRiga = lotto.fini[k]
                let memorizzato = lotto.memorizzati[(k * 32)..<(k * 32 + 32)]
                let seq = lotto.primoSeq + Int64(k)
                guard h.elementsEqual(memorizzato) else {
                    throw ErroreIntegrita(seq: seq, motivo: "hash ricalcolato \(Catena.esadecimale(h)) diverso da quello registrato \(Catena.esadecimale(Array(memorizzato)))")
                }
                precedente = h
                // A row read but not decoded (the reader's error is about it) has had its link checked first.
                guard k < lotto.eventi.count else { break }
                let e = lotto.eventi[k]
                try corpo(Traccia(seq: seq, data: e.data, hashByte: h), e.evento, e.atto)
            }
            if let errore = lotto.errore { throw errore }
            if lotto.ultimo { return }
        }
    }

    /// The number of events (the last seq).
    public func numeroEventi() throws(ErroreArchivio) -> Int64 { try testa().seq }

    /// The last closed esercizio and its closing date (`chiuso_il`), if any (`/metriche`).
    public func ultimaChiusura() throws(ErroreArchivio) -> (esercizio: Int, data: String)? {
        try connessione.istruzione("SELECT anno, chiuso_il FROM esercizio WHERE chiuso_il IS NOT NULL ORDER BY anno DESC LIMIT 1")
            .righe { s in (Int(s.intero(0)), s.testo(1)) }.first
    }

    /// Bounds the time this connection's statements may run (`fondi serve --tempo-massimo`): a statement still
    /// running `secondi` from now fails with "lettura interrotta" and, in a write, rolls its transaction back.
    public func limitaDurata(secondi: Double) { connessione.limitaDurata(secondi: secondi) }
}

/// Up to `LettoreCatena.dimensioneLotto` decoded events, with each row's canonical bytes and stored hash for
/// the chain check, then possibly the error that stopped the reading (its row's bytes included, if read).
struct LottoEventi: Sendable {
    var primoSeq: Int64 = 0
    var eventi: [(data: DataContabile, evento: Evento, atto: String?)] = []
    var canonici: [UInt8] = []
    var fini: [Int] = []
    var memorizzati: [UInt8] = []
    var errore: ErroreIntegrita?
    var ultimo = false
}

/// The reading side of `ripercorri`, on its own thread: steps the statement, writes each row's canonical
/// bytes (DOMAIN §6) and decodes each payload. Owns the statement until it sends the last batch.
final class LettoreCatena: @unchecked Sendable {
    static let dimensioneLotto = 2048
    private let s: any Istruzione
    private var atteso: Int64

    init(istruzione: any Istruzione, atteso: Int64) {
        s = istruzione
        self.atteso = atteso
    }

    func produci(in condotto: Condotto<LottoEventi>) {
        while !condotto.eAnnullato {
            var lotto = LottoEventi(primoSeq: atteso)
            lotto.eventi.reserveCapacity(Self.dimensioneLotto)
            lotto.fini.reserveCapacity(Self.dimensioneLotto)
            lotto.canonici.reserveCapacity(Self.dimensioneLotto * 320)
            lotto.memorizzati.reserveCapacity(Self.dimensioneLotto * 32)
            do {
                while lotto.eventi.count < Self.dimensioneLotto {
                    guard try s.passo() else {
                        lotto.ultimo = true
                        break
                    }
                    lotto.eventi.append(try leggi(&lotto))
                }
            } catch let e as ErroreIntegrita {
                (lotto.errore, lotto.ultimo) = (e, true)
            } catch {
                (lotto.errore, lotto.ultimo) = (ErroreIntegrita(seq: atteso, motivo: "lettura non riuscita: \(error)"), true)
            }
            condotto.invia(lotto)
            if lotto.ultimo { return }
        }
        condotto.invia(LottoEventi(ultimo: true))
    }

    private func leggi(_ lotto: inout LottoEventi) throws -> (data: DataContabile, evento: Evento, atto: String?) {
        let seq = s.intero(0)
        guard seq == atteso else { throw ErroreIntegrita(seq: atteso, motivo: "evento mancante (trovato seq \(seq))") }
        let tipo = s.grezzo(1), data = s.grezzo(3), payload = s.grezzo(8), memorizzato = s.grezzo(9)
        Canonico.aggiungi(to: &lotto.canonici, seq: seq, tipo: tipo, versione: s.intero(2), data: data, registratoIl: s.grezzo(4),
                          utente: s.grezzo(5), chiave: s.nullo(6) ? nil : s.grezzo(6), atto: s.nullo(7) ? nil : s.grezzo(7), payload: payload)
        lotto.fini.append(lotto.canonici.count)
        // A stored hash of the wrong length can never match: pad or cut it to 32 bytes, the check fails.
        lotto.memorizzati.append(contentsOf: memorizzato.prefix(32))
        if memorizzato.count < 32 { lotto.memorizzati.append(contentsOf: repeatElement(0xFF, count: 32 - memorizzato.count)) }
        atteso += 1
        guard let d = DataContabile(byte: data) else { throw ErroreIntegrita(seq: seq, motivo: "data non valida") }
        let nomeTipo = String(decoding: tipo, as: UTF8.self)
        let evento: Evento
        do { evento = try Evento.decodifica(tipo: nomeTipo, versione: Int(s.intero(2)), payloadByte: Array(payload)) } catch {
            throw ErroreIntegrita(seq: seq, motivo: error.motivo)
        }
        // Only a fonte, a scadenza and a rendicontazione keep their act; other events need no String for it.
        let atto: String? = !s.nullo(7) && Self.conservaAtto(evento) ? s.testo(7) : nil
        return (d, evento, atto)
    }

    /// Whether the projection keeps the event's act (`Fonte.atto`, `Scadenza.atto`, `Rendicontazione.atto`).
    static func conservaAtto(_ e: Evento) -> Bool {
        switch e {
        case .fonteRegistrata, .scadenzaFissata, .rendicontazioneInviata: true
        default: false
        }
    }
}
