/// A request to change the ledger, with values already parsed (amounts in cents, dates, years) and every
/// code and text already normalised and validated (DOMAIN rule 13: `Codice`, `Testo`).
/// `Stato.decidi` turns it into events or refuses it (DOMAIN §4).
public enum Comando: Equatable, Sendable {
    case fonteRegistra(codice: CodiceFonte, tipo: Testo, annualita: Int, importo: Importo, vincolata: Bool, descrizione: Testo?)
    case fonteIntegra(codice: CodiceFonte, importo: Importo)
    case fonteRiduci(codice: CodiceFonte, importo: Importo)
    case servizioRegistra(codice: CodiceServizio, descrizione: Testo)
    case programma(linea: LineaChiave, importo: Importo)
    case programmaRiduci(linea: LineaChiave, importo: Importo)
    case programmaSposta(fonte: CodiceFonte, esercizio: Int, da: CodiceServizio, a: CodiceServizio, importo: Importo)
    case impegna(numero: NumeroImpegno, linea: LineaChiave, importo: Importo, creditore: Testo, oggetto: Testo, cig: Testo?, cup: Testo?,
                 prenotazione: NumeroPrenotazione? = nil)
    case impegnoRiduci(impegno: NumeroImpegno, importo: Importo, motivo: Testo)
    case liquida(numero: NumeroLiquidazione, impegno: NumeroImpegno, importo: Importo, documento: Testo?)
    case liquidazioneAnnulla(liquidazione: NumeroLiquidazione, importo: Importo, motivo: Testo)
    case paga(mandato: NumeroMandato, liquidazione: NumeroLiquidazione, importo: Importo)
    case chiudi(esercizio: Int)
    case residuoElimina(impegno: NumeroImpegno, importo: Importo, motivo: Testo)
    // DOMAIN §9.
    case prenota(numero: NumeroPrenotazione, linea: LineaChiave, importo: Importo, oggetto: Testo)
    case prenotazioneRiduci(prenotazione: NumeroPrenotazione, importo: Importo, motivo: Testo)
    case impegnoReimputa(impegno: NumeroImpegno, importo: Importo, esercizio: Int, numero: NumeroImpegno)
    case accerta(numero: NumeroAccertamento, fonte: CodiceFonte, esercizio: Int, importo: Importo, debitore: Testo)
    case accertamentoRiduci(accertamento: NumeroAccertamento, importo: Importo, motivo: Testo)
    case incassa(reversale: NumeroReversale, accertamento: NumeroAccertamento, importo: Importo, documento: Testo?)
    // DOMAIN §10: options as given (nil when absent): `decidi` refuses those that do not apply to the tipo.
    case scadenzaFissa(numero: NumeroScadenza, fonte: CodiceFonte, tipo: TipoScadenza, termine: DataContabile, soglia: Int?, base: BaseScadenza?,
                       destinatario: Codice?, copertura: DataContabile?)
    case scadenzaProroga(scadenza: NumeroScadenza, termine: DataContabile, motivo: Testo)
    case scadenzaRevoca(scadenza: NumeroScadenza, motivo: Testo)
    /// `fonti` nil: every fonte registered by the cut-off. The figures are computed by the store (`Stato.prospettoAl`).
    case rendiconta(numero: NumeroRendicontazione, destinatario: Codice, al: DataContabile, fonti: [CodiceFonte]?, motivo: Testo?)

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
        case .scadenzaFissa: "scadenza fissa"
        case .scadenzaProroga: "scadenza proroga"
        case .scadenzaRevoca: "scadenza revoca"
        case .rendiconta: "rendiconta"
        }
    }

    /// The day whose `--al` view the command's rules read (`Stato.prospettoAl`), which the store computes before
    /// deciding: the cut-off of `rendiconta`, the fixing of `scadenza fissa` (its fonte must be registered by then).
    public func giornoDellaVista(data: DataContabile) -> DataContabile? {
        if case let .rendiconta(_, _, al, _, _) = self { return al }
        if case .scadenzaFissa = self { return data }
        return nil
    }

    /// Whether the command needs `--atto` (DOMAIN §7: every command whose synopsis lists it).
    public var richiedeAtto: Bool {
        switch self {
        case .servizioRegistra, .paga, .incassa: false
        case .fonteRegistra, .fonteIntegra, .fonteRiduci, .programma, .programmaRiduci, .programmaSposta, .impegna, .impegnoRiduci, .liquida,
             .liquidazioneAnnulla, .chiudi, .residuoElimina, .prenota, .prenotazioneRiduci, .impegnoReimputa, .accerta, .accertamentoRiduci, .scadenzaFissa, .scadenzaProroga,
             .scadenzaRevoca, .rendiconta:
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
