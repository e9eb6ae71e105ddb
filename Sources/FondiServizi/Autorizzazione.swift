import FondiStore

/// Who may run which command through the pages and the API (DOMAIN §8). Enforced by the server on every
/// route, never by hiding buttons; the CLI runs with the rights of whoever can write the file.
public enum Autorizzazione {
    /// The write commands an operatore (istruttore) may give; a responsabile may give every one.
    static let operatore: Set<String> = [
        "impegna", "impegno riduci", "liquida", "liquidazione annulla", "paga",
        "prenota", "prenotazione riduci", "accerta", "accertamento riduci", "incassa",
    ]

    /// The least role that may run a command: every read is consultazione's (`verifica` included).
    public static func ruoloRichiesto(_ comando: String) -> Ruolo {
        guard let d = Catalogo.definizione(comando), d.scrive else { return .consultazione }
        return operatore.contains(comando) ? .operatore : .responsabile
    }

    public static func puo(_ ruolo: Ruolo, _ comando: String) -> Bool { ruolo >= ruoloRichiesto(comando) }

    /// The write commands of the ledger, in the order of the help (not `importa`, which is the CLI's).
    public static var comandiDiScrittura: [DefinizioneComando] {
        Catalogo.tutti.filter { $0.scrive && $0.nome != "importa" && $0.nome != "programma disponi" }
    }
}
