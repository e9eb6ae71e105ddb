import Fondi
import FondiStore

/// The store protocol in memory (issue 19): the twin of `Registro` for fast tests of the use cases. It decides
/// and applies commands on a full `Stato` and keeps the events with the same canonical bytes and chain hashes
/// as the engines (`Canonico`, `Catena`), so a use case gives the same answer on both (tested). Not kept: users,
/// snapshots, idempotency keys (a `chiave` is refused here, where the engines remember it).
public final class DepositoInMemoria: Deposito {
    public private(set) var stato = Stato()
    public private(set) var eventi: [EventoRegistrato] = []
    let orologio: () -> String

    public init(orologio: @escaping () -> String = { "2026-01-01T00:00:00.000Z" }) {
        self.orologio = orologio
    }

    public func numeroEventi() -> Int64 { eventi.last?.seq ?? 0 }

    public func leggiEventi(da: Int64, fino: Int64?, _ corpo: (EventoRegistrato) throws -> Void) throws {
        for e in eventi where e.seq >= da && e.seq <= (fino ?? Int64.max) { try corpo(e) }
    }

    /// Every event up to `fino`: a superset, which the protocol allows.
    public func eventiImpegni(_ numeri: [String], fino: Int64?) -> [EventoRegistrato] {
        eventi.filter { $0.seq <= (fino ?? Int64.max) }
    }

    public func eventiDatatiEntro(_ data: DataContabile, dopo: Int64) -> [EventoRegistrato] {
        eventi.filter { $0.seq > dopo && $0.data <= data }
    }

    public func fonte(_ codice: String) -> Fonte? { stato.fonti[codice] }
    public func esisteServizio(_ codice: String) -> Bool { stato.servizi[codice] != nil }
    public func esisteImpegno(_ numero: String) -> Bool { stato.impegni[numero] != nil }
    public func impegno(_ numero: String) -> Impegno? { stato.impegni[numero] }
    public func liquidazione(_ numero: String) -> Liquidazione? { stato.liquidazioni[numero] }
    public func prenotazione(_ numero: String) -> Prenotazione? { stato.prenotazioni[numero] }
    public func accertamento(_ numero: String) -> Accertamento? { stato.accertamenti[numero] }

    public func origini(impegno numero: String) -> [String] {
        var out: [String] = []
        var corrente = stato.impegni[numero]?.origine
        while let o = corrente, !out.contains(o) {
            out.append(o)
            corrente = stato.impegni[o]?.origine
        }
        return out
    }

    /// A fold of the events up to `fino`, keeping those dated up to `al` (tolerant, as the engines' date views).
    public func vista(al: DataContabile?, fino: Int64?, impegni: Bool, avviso: (String) -> Void) -> Stato {
        if al == nil && fino == nil { return stato }
        return Self.vista(eventi.filter { $0.seq <= (fino ?? Int64.max) }, al: al)
    }

    static func vista(_ eventi: [EventoRegistrato], al: DataContabile?) -> Stato {
        var s = Stato()
        s.tollerante = al != nil
        for e in eventi where al.map({ e.data <= $0 }) ?? true {
            _ = s.applicaControllando(e.evento, seq: e.seq, data: e.data, atto: e.atto)
        }
        return s
    }

    public func cerca(_ r: RicercaImpegni) -> (impegni: [Impegno], totale: Int) { r.scegli(stato.impegni.values) }

    /// All or nothing, like a transaction: the state and the events change only if every command is accepted.
    public func applica(_ passi: [Passo], prova: Bool) throws -> [Esito] {
        var (s, nuovi, esiti) = (stato, eventi, [Esito]())
        let registratoIl = orologio()
        for p in passi {
            guard p.contesto.chiave == nil else { throw Rifiuto(regola: "4.10", "DepositoInMemoria non conserva le chiavi di idempotenza") }
            var registrati: [EventoRegistrato] = []
            s.prospettoAl = p.comando.giornoDellaVista(data: p.contesto.data).map { g in (g, Self.vista(nuovi, al: g).righeProspetto()) }
            let decisi = try s.decidi(p.comando, p.contesto, impronta: Catena.impronta)
            s.prospettoAl = nil
            for evento in decisi {
                let seq = (nuovi.last?.seq ?? 0) + 1
                let c = p.contesto
                let canonico = Canonico.evento(seq: seq, tipo: evento.tipo, versione: evento.versioneScritta, data: c.data.description,
                                               registratoIl: registratoIl, utente: c.utente.testo, chiave: nil, atto: c.atto?.testo,
                                               payload: evento.payloadCanonico)
                let r = EventoRegistrato(seq: seq, versione: evento.versioneScritta, data: c.data, registratoIl: registratoIl, utente: c.utente.testo,
                                         chiave: nil, atto: c.atto?.testo, evento: evento,
                                         hashByte: Catena.hash(precedente: nuovi.last?.hashByte ?? Catena.hashZero, canonico: canonico))
                s.applica(evento, seq: seq, data: c.data, atto: c.atto?.testo)
                nuovi.append(r)
                registrati.append(r)
            }
            esiti.append(Esito(eventi: registrati, ripetuto: false))
        }
        if !prova { (stato, eventi) = (s, nuovi) }
        return esiti
    }
}
