// The projected entities (DOMAIN §3). All balances are `Int64` euro cents and never negative.

/// A fonte di finanziamento and its running totals.
public struct Fonte: Equatable, Sendable {
    public let codice: String
    public let tipo: String
    public let annualita: Int
    public let vincolata: Bool
    public let descrizione: String?
    /// The atto di assegnazione: the act of `FonteRegistrata`.
    public let atto: String?
    /// registrata + integrata − ridotta.
    public internal(set) var assegnato: Int64
    /// Σ programmato over open lines + Σ impegnato over closed lines: what `libero` is not (DOMAIN §3).
    public internal(set) var vincolato: Int64

    public init(codice: String, tipo: String, annualita: Int, vincolata: Bool, descrizione: String?, atto: String?,
                assegnato: Int64, vincolato: Int64) {
        self.codice = codice
        self.tipo = tipo
        self.annualita = annualita
        self.vincolata = vincolata
        self.descrizione = descrizione
        self.atto = atto
        self.assegnato = assegnato
        self.vincolato = vincolato
    }

    /// `libero(F)`: disponibile da programmare while its years are open, disponibile da riportare after.
    public var libero: Int64 { assegnato - vincolato }
}

public struct Servizio: Equatable, Sendable {
    public let codice: String
    public let descrizione: String
    public init(codice: String, descrizione: String) {
        self.codice = codice
        self.descrizione = descrizione
    }
}

/// A budget line's sums. `disponibile` and `economie` depend on whether its esercizio is closed.
public struct Linea: Equatable, Sendable {
    public let chiave: LineaChiave
    public internal(set) var programmato: Int64
    public internal(set) var impegnato: Int64
    public internal(set) var liquidato: Int64
    public internal(set) var pagato: Int64

    public init(chiave: LineaChiave, programmato: Int64 = 0, impegnato: Int64 = 0, liquidato: Int64 = 0, pagato: Int64 = 0) {
        self.chiave = chiave
        self.programmato = programmato
        self.impegnato = impegnato
        self.liquidato = liquidato
        self.pagato = pagato
    }
}

/// An impegno with its netto sums: `impegnato = assunto − ridotto − eliminato`.
public struct Impegno: Equatable, Sendable {
    public let numero: String
    public let linea: LineaChiave
    public let data: DataContabile
    public let creditore: String
    public let oggetto: String
    public internal(set) var assunto: Int64
    public internal(set) var ridotto: Int64
    public internal(set) var eliminato: Int64
    public internal(set) var liquidato: Int64
    public internal(set) var pagato: Int64

    public init(numero: String, linea: LineaChiave, data: DataContabile, creditore: String, oggetto: String,
                assunto: Int64, ridotto: Int64 = 0, eliminato: Int64 = 0, liquidato: Int64 = 0, pagato: Int64 = 0) {
        self.numero = numero
        self.linea = linea
        self.data = data
        self.creditore = creditore
        self.oggetto = oggetto
        self.assunto = assunto
        self.ridotto = ridotto
        self.eliminato = eliminato
        self.liquidato = liquidato
        self.pagato = pagato
    }

    public var impegnato: Int64 { assunto - ridotto - eliminato }
    public var daLiquidare: Int64 { impegnato - liquidato }
    public var daPagare: Int64 { impegnato - pagato }
}

public struct Liquidazione: Equatable, Sendable {
    public let numero: String
    public let impegno: String
    public let data: DataContabile
    public internal(set) var importo: Int64
    public internal(set) var annullato: Int64
    public internal(set) var pagato: Int64

    public init(numero: String, impegno: String, data: DataContabile, importo: Int64, annullato: Int64 = 0, pagato: Int64 = 0) {
        self.numero = numero
        self.impegno = impegno
        self.data = data
        self.importo = importo
        self.annullato = annullato
        self.pagato = pagato
    }

    /// Liquidated, not annulled, not yet paid: the ceiling of an annullamento or a pagamento (DOMAIN §4.6).
    public var daPagare: Int64 { importo - annullato - pagato }
}

public struct Mandato: Equatable, Sendable {
    public let numero: String
    public let liquidazione: String
    public let data: DataContabile
    public let importo: Int64
    public init(numero: String, liquidazione: String, data: DataContabile, importo: Int64) {
        self.numero = numero
        self.liquidazione = liquidazione
        self.data = data
        self.importo = importo
    }
}

/// An esercizio that has lines or has been closed. Absent means open and without lines.
public struct Esercizio: Equatable, Sendable {
    public let anno: Int
    public internal(set) var chiusoIl: DataContabile?
    public init(anno: Int, chiusoIl: DataContabile? = nil) {
        self.anno = anno
        self.chiusoIl = chiusoIl
    }
    public var chiuso: Bool { chiusoIl != nil }
}
