/// A request to change the ledger, with values already parsed (amounts in cents, dates, years) and every
/// code and text already normalised and validated (DOMAIN rule 13: `Codice`, `Testo`).
/// `Stato.decidi` turns it into events or refuses it (DOMAIN §4).
public enum Comando: Equatable, Sendable {
    case fonteRegistra(codice: Codice, tipo: Testo, annualita: Int, importo: Importo, vincolata: Bool, descrizione: Testo?)
    case fonteIntegra(codice: Codice, importo: Importo)
    case fonteRiduci(codice: Codice, importo: Importo)
    case servizioRegistra(codice: Codice, descrizione: Testo)
    case programma(linea: LineaChiave, importo: Importo)
    case programmaRiduci(linea: LineaChiave, importo: Importo)
    case programmaSposta(fonte: Codice, esercizio: Int, da: Codice, a: Codice, importo: Importo)
    case impegna(numero: Codice, linea: LineaChiave, importo: Importo, creditore: Testo, oggetto: Testo, cig: Testo?, cup: Testo?,
                 prenotazione: Codice? = nil)
    case impegnoRiduci(impegno: Codice, importo: Importo, motivo: Testo)
    case liquida(numero: Codice, impegno: Codice, importo: Importo, documento: Testo?)
    case liquidazioneAnnulla(liquidazione: Codice, importo: Importo, motivo: Testo)
    case paga(mandato: Codice, liquidazione: Codice, importo: Importo)
    case chiudi(esercizio: Int)
    case residuoElimina(impegno: Codice, importo: Importo, motivo: Testo)
    // DOMAIN §9.
    case prenota(numero: Codice, linea: LineaChiave, importo: Importo, oggetto: Testo)
    case prenotazioneRiduci(prenotazione: Codice, importo: Importo, motivo: Testo)
    case impegnoReimputa(impegno: Codice, importo: Importo, esercizio: Int, numero: Codice)
    case accerta(numero: Codice, fonte: Codice, esercizio: Int, importo: Importo, debitore: Testo)
    case accertamentoRiduci(accertamento: Codice, importo: Importo, motivo: Testo)
    case incassa(reversale: Codice, accertamento: Codice, importo: Importo, documento: Testo?)

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
        case .prenota: "prenota"
        case .prenotazioneRiduci: "prenotazione riduci"
        case .impegnoReimputa: "impegno reimputa"
        case .accerta: "accerta"
        case .accertamentoRiduci: "accertamento riduci"
        case .incassa: "incassa"
        }
    }

    /// Whether the command needs `--atto` (DOMAIN §7: every command whose synopsis lists it).
    public var richiedeAtto: Bool {
        switch self {
        case .servizioRegistra, .paga, .incassa: false
        case .fonteRegistra, .fonteIntegra, .fonteRiduci, .programma, .programmaRiduci, .programmaSposta, .impegna, .impegnoRiduci, .liquida,
             .liquidazioneAnnulla, .chiudi, .residuoElimina, .prenota, .prenotazioneRiduci, .impegnoReimputa, .accerta, .accertamentoRiduci:
            true
        }
    }
}

/// Who, when and under which act a command is given. `data` has already been defaulted to today.
public struct Contesto: Equatable, Sendable {
    public let data: DataContabile
    public let atto: Testo?
    public let utente: Codice
    public let chiave: Codice?

    public init(data: DataContabile, atto: Testo?, utente: Codice, chiave: Codice?) {
        self.data = data
        self.atto = atto
        self.utente = utente
        self.chiave = chiave
    }
}
