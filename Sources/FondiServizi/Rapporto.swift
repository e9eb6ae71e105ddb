import Fondi
import FondiStore

/// The reports of DOMAIN §7 that the CLI, the pages and the API all give.
public enum TipoRapporto: String, CaseIterable, Sendable {
    case saldi, residui, prospetto
}

/// `saldi`, `residui` and `prospetto`, the one use case behind `fondi saldi|residui|prospetto`, their pages and
/// `GET /api/v1/saldi|residui|prospetto` (issue 19): every value is read and checked before any work (`per`,
/// `sezione`, codes, year, `al`, `fino_a`), then the tables come from the state the front end obtained (the CLI
/// from the store, the server from its kept views), with unknown fonti and servizi refused (rule 1).
public struct RichiestaRapporto: Sendable {
    public let tipo: TipoRapporto
    public let per: Raggruppamento
    public let sezione: String
    public let al: DataContabile?
    public let fino: Int64?
    let valori: Valori

    public static let sezioni = ["impegni", "fonti", "attivi"]

    /// - Parameter perPredefinito: what `per` means when absent (`linea` for `saldi`, DOMAIN §7).
    public init(_ tipo: TipoRapporto, _ v: Valori, perPredefinito: Raggruppamento = .linea) throws {
        self.tipo = tipo
        per = Raggruppamento(rawValue: try v.scelta("per", tra: Raggruppamento.allCases.map(\.rawValue), predefinita: perPredefinito.rawValue))!
        sezione = try v.scelta("sezione", tra: Self.sezioni, predefinita: "impegni")
        al = try v.data("al")
        fino = try v.seq("fino-a")
        _ = (try v.annoOpzionale("esercizio"), try v.codiceOpzionale("fonte"), try v.codiceOpzionale("servizio"))
        valori = v
    }

    /// Whether the state must carry the impegni still to pay (`residui` lists them).
    public var conImpegni: Bool { tipo == .residui }

    /// The state to report on, from a store.
    public func stato(_ deposito: some Deposito, avviso: (String) -> Void = { _ in }) throws -> Stato {
        try Vista.stato(deposito, al: al, fino: fino, impegni: conImpegni, avviso: avviso)
    }

    /// The filters, checked against the state: an unregistered fonte or servizio is refused.
    public func filtri(_ stato: Stato) throws -> Filtri { try Vista.filtri(valori, stato: stato) }

    /// The report's tables: `saldi` one (`righe`), `residui` fonti, impegni and attivi, `prospetto` fonti and totale.
    public func tabelle(_ stato: Stato) throws -> [Tabella] {
        let f = try filtri(stato)
        return switch tipo {
        case .saldi: [stato.saldi(per: per, filtri: f)]
        case .residui: stato.residui(filtri: f)
        case .prospetto: stato.prospetto(filtri: f)
        }
    }
}
