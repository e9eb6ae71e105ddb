/// A request to change the ledger, with values already parsed (amounts in cents, dates, years).
/// `Stato.decidi` turns it into events or refuses it (DOMAIN §4).
public enum Comando: Equatable, Sendable {
    case fonteRegistra(codice: String, tipo: String, annualita: Int, importo: Importo, vincolata: Bool, descrizione: String?)
    case fonteIntegra(codice: String, importo: Importo)
    case fonteRiduci(codice: String, importo: Importo)
    case servizioRegistra(codice: String, descrizione: String)
    case programma(linea: LineaChiave, importo: Importo)
    case programmaRiduci(linea: LineaChiave, importo: Importo)
    case programmaSposta(fonte: String, esercizio: Int, da: String, a: String, importo: Importo)
    case impegna(numero: String, linea: LineaChiave, importo: Importo, creditore: String, oggetto: String, cig: String?, cup: String?)
    case impegnoRiduci(impegno: String, importo: Importo, motivo: String)
    case liquida(numero: String, impegno: String, importo: Importo, documento: String?)
    case liquidazioneAnnulla(liquidazione: String, importo: Importo, motivo: String)
    case paga(mandato: String, liquidazione: String, importo: Importo)
    case chiudi(esercizio: Int)
    case residuoElimina(impegno: String, importo: Importo, motivo: String)

    /// The subcommand as typed (`"impegno riduci"`), used in messages and idempotency records.
    public var nome: String {
        switch self {
        case .fonteRegistra: "fonte registra"
        case .fonteIntegra: "fonte integra"
        case .fonteRiduci: "fonte riduci"
        case .servizioRegistra: "servizio registra"
        case .programma: "programma"
        case .programmaRiduci: "programma riduci"
        case .programmaSposta: "programma sposta"
        case .impegna: "impegna"
        case .impegnoRiduci: "impegno riduci"
        case .liquida: "liquida"
        case .liquidazioneAnnulla: "liquidazione annulla"
        case .paga: "paga"
        case .chiudi: "chiudi"
        case .residuoElimina: "residuo elimina"
        }
    }

    /// Whether the command needs `--atto` (DOMAIN §7: every command whose synopsis lists it).
    public var richiedeAtto: Bool {
        switch self {
        case .servizioRegistra, .paga: false
        default: true
        }
    }
}

/// Who, when and under which act a command is given. `data` has already been defaulted to today.
public struct Contesto: Equatable, Sendable {
    public let data: DataContabile
    public let atto: String?
    public let utente: String
    public let chiave: String?

    public init(data: DataContabile, atto: String?, utente: String, chiave: String?) {
        self.data = data
        self.atto = atto
        self.utente = utente
        self.chiave = chiave
    }
}
