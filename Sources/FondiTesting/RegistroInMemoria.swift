import Fondi

/// An in-memory ledger for tests: decides and applies commands on a full `Stato`, keeping the events.
/// The reference model the SQLite store is compared with.
public struct RegistroInMemoria {
    public private(set) var stato = Stato()
    public private(set) var eventi: [(seq: Int64, data: DataContabile, atto: String?, evento: Evento)] = []
    public let impronta: ([UInt8]) -> String

    /// - Parameter impronta: a stand-in for SHA-256 (the domain has no crypto); any injective-enough function.
    public init(impronta: @escaping ([UInt8]) -> String = { b in String(b.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }, radix: 16) }) {
        self.impronta = impronta
    }

    /// Decides and, if accepted, applies a command. Returns the events appended.
    @discardableResult
    public mutating func esegui(_ comando: Comando, data: DataContabile, atto: String? = "Atto di prova") throws(Rifiuto) -> [Evento] {
        let contesto = Contesto(data: data, atto: atto.flatMap { Testo(validando: $0) }, utente: "test", chiave: nil)
        stato.prospettoAl = comando.giornoDellaVista(data: data).map { g in (g, vista(al: g, fino: eventi.count).righeProspetto()) }
        defer { stato.prospettoAl = nil }
        let nuovi = try stato.decidi(comando, contesto, impronta: impronta)
        for e in nuovi {
            let seq = Int64(eventi.count + 1)
            eventi.append((seq, data, atto, e))
            stato.applica(e, seq: seq, data: data, atto: atto)
        }
        return nuovi
    }

    /// Replays the events from `da` (0-based index) onto `base`: the fold that snapshots and splits rely on.
    public func replay(da inizio: Int = 0, su base: Stato = Stato(), fino: Int? = nil) -> Stato {
        var s = base
        for (seq, data, atto, e) in eventi[inizio..<(fino ?? eventi.count)] { s.applica(e, seq: seq, data: data, atto: atto) }
        return s
    }

    /// The accounting view (`--al`): the first `fino` events, keeping only those dated up to `al`.
    public func vista(al: DataContabile, fino: Int) -> Stato {
        var s = Stato()
        s.tollerante = true
        for (seq, data, atto, e) in eventi[0..<fino] where data <= al { _ = s.applicaControllando(e, seq: seq, data: data, atto: atto) }
        return s
    }
}

extension DataContabile {
    /// `DataContabile("2023-02-01")`, for tests: traps on a malformed literal.
    public init(_ testo: String) {
        guard let d = DataContabile(testo: testo) else { preconditionFailure("data di prova non valida: \(testo)") }
        self = d
    }
}

extension Importo {
    /// Euro cents from a test literal; traps outside the valid range.
    public static func c(_ centesimi: Int64) -> Importo { Importo(centesimi: centesimi) }
    /// Whole euro, for tests.
    public static func euro(_ e: Int64) -> Importo { Importo(centesimi: e * 100) }
}
