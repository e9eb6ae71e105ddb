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
    /// Σ accertamenti − riduzioni, never above `assegnato` (DOMAIN §9.3).
    public internal(set) var accertato: Int64
    /// Σ riscossioni.
    public internal(set) var riscosso: Int64

    public init(codice: String, tipo: String, annualita: Int, vincolata: Bool, descrizione: String?, atto: String?,
                assegnato: Int64, vincolato: Int64, accertato: Int64 = 0, riscosso: Int64 = 0) {
        self.accertato = accertato
        self.riscosso = riscosso
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
    /// `da_riscuotere(F)`: accertato and not yet collected, over every esercizio.
    public var daRiscuotere: Int64 { accertato - riscosso }
}

public struct Servizio: Equatable, Sendable {
    public let codice: String
    public let descrizione: String
    public init(codice: String, descrizione: String) {
        self.codice = codice
        self.descrizione = descrizione
    }
}

/// A budget line's sums. `disponibile`, `economie` and `prenotato` depend on whether its esercizio is closed.
/// `programmato` includes `fpvEntrata` and excludes `fpvSpesa` (DOMAIN §3, §9.2).
public struct Linea: Equatable, Sendable {
    public let chiave: LineaChiave
    public internal(set) var programmato: Int64
    public internal(set) var impegnato: Int64
    public internal(set) var liquidato: Int64
    public internal(set) var pagato: Int64
    /// Σ da impegnare of the linea's prenotazioni, as folded: `Stato.prenotato` reads it as 0 once closed.
    public internal(set) var prenotazioni: Int64
    /// Reimputed into this linea from an earlier esercizio (FPV di entrata), and out of it (FPV di spesa).
    public internal(set) var fpvEntrata: Int64
    public internal(set) var fpvSpesa: Int64

    public init(chiave: LineaChiave, programmato: Int64 = 0, impegnato: Int64 = 0, liquidato: Int64 = 0, pagato: Int64 = 0,
                prenotazioni: Int64 = 0, fpvEntrata: Int64 = 0, fpvSpesa: Int64 = 0) {
        self.chiave = chiave
        self.prenotazioni = prenotazioni
        self.fpvEntrata = fpvEntrata
        self.fpvSpesa = fpvSpesa
        self.programmato = programmato
        self.impegnato = impegnato
        self.liquidato = liquidato
        self.pagato = pagato
    }
}

/// An impegno with its netto sums: `impegnato = assunto − ridotto − eliminato − reimputato`.
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
    /// Moved to a later esercizio by reimputazione (DOMAIN §9.2).
    public internal(set) var reimputato: Int64
    /// The prenotazione it was assumed on, if any (DOMAIN §9.1).
    public let prenotazione: String?
    /// The impegno it was reimputed from, if any: its trail back (DOMAIN §9.2).
    public let origine: String?
    /// cig and cup, which a reimputed impegno inherits.
    public let cig: String?
    public let cup: String?

    public init(numero: String, linea: LineaChiave, data: DataContabile, creditore: String, oggetto: String,
                assunto: Int64, ridotto: Int64 = 0, eliminato: Int64 = 0, liquidato: Int64 = 0, pagato: Int64 = 0,
                reimputato: Int64 = 0, prenotazione: String? = nil, origine: String? = nil, cig: String? = nil, cup: String? = nil) {
        self.reimputato = reimputato
        self.prenotazione = prenotazione
        self.origine = origine
        self.cig = cig
        self.cup = cup
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

    public var impegnato: Int64 { assunto - ridotto - eliminato - reimputato }
    /// The first day it may be liquidated, reduced or paid: a reimputed impegno falls due on 1/1 of its esercizio.
    public var esigibileDal: DataContabile { Swift.max(data, DataContabile(anno: linea.esercizio, mese: 1, giorno: 1)) }
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

/// A prenotazione d'impegno (DOMAIN §9.1): part of a linea's disponibile reserved for a procedure under way.
public struct Prenotazione: Equatable, Sendable {
    public let numero: String
    public let linea: LineaChiave
    public let data: DataContabile
    public let oggetto: String
    public let importo: Int64
    public internal(set) var ridotto: Int64
    /// Σ importo of the impegni assumed on it, as assumed (later riduzioni of those impegni free the linea).
    public internal(set) var impegnato: Int64

    public init(numero: String, linea: LineaChiave, data: DataContabile, oggetto: String, importo: Int64, ridotto: Int64 = 0, impegnato: Int64 = 0) {
        self.numero = numero
        self.linea = linea
        self.data = data
        self.oggetto = oggetto
        self.importo = importo
        self.ridotto = ridotto
        self.impegnato = impegnato
    }

    /// `da_impegnare(P)`.
    public var daImpegnare: Int64 { importo - ridotto - impegnato }
}

/// An accertamento d'entrata on a fonte (DOMAIN §9.3): the right to receive from a debitore.
public struct Accertamento: Equatable, Sendable {
    public let numero: String
    public let fonte: String
    public let esercizio: Int
    public let data: DataContabile
    public let debitore: String
    public let importo: Int64
    public internal(set) var ridotto: Int64
    public internal(set) var riscosso: Int64

    public init(numero: String, fonte: String, esercizio: Int, data: DataContabile, debitore: String, importo: Int64,
                ridotto: Int64 = 0, riscosso: Int64 = 0) {
        self.numero = numero
        self.fonte = fonte
        self.esercizio = esercizio
        self.data = data
        self.debitore = debitore
        self.importo = importo
        self.ridotto = ridotto
        self.riscosso = riscosso
    }

    public var accertato: Int64 { importo - ridotto }
    /// `da_riscuotere(A)`.
    public var daRiscuotere: Int64 { importo - ridotto - riscosso }
}

/// A riscossione (reversale d'incasso) on an accertamento.
public struct Riscossione: Equatable, Sendable {
    public let reversale: String
    public let accertamento: String
    public let data: DataContabile
    public let importo: Int64
    public init(reversale: String, accertamento: String, data: DataContabile, importo: Int64) {
        self.reversale = reversale
        self.accertamento = accertamento
        self.data = data
        self.importo = importo
    }
}

/// One riduzione of an accertamento, kept with its date: a closing computes residui attivi as of 31/12/N,
/// and a riduzione dated after that day does not count (DOMAIN §5).
public struct RiduzioneAccertamento: Equatable, Sendable {
    public let seq: Int64
    public let accertamento: String
    public let data: DataContabile
    public let importo: Int64
    public init(seq: Int64, accertamento: String, data: DataContabile, importo: Int64) {
        self.seq = seq
        self.accertamento = accertamento
        self.data = data
        self.importo = importo
    }
}
