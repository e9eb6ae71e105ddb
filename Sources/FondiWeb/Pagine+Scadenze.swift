import Fondi
import FondiServizi
import FondiStore
import Hummingbird

/// The pages of DOMAIN §10: scadenze (with filters and time travel), rendicontazioni, one rendicontazione
/// beside today's figures with its rettifiche highlighted, and its comparison with the earlier one; each
/// downloads as CSV and xlsx. They parse, call the use cases of `FondiServizi`, and render.
extension Pagine {
    func scadenze(_ request: Request, _ context: ContestoFondi) async -> Response {
        do {
            let v = try Self.valori(request, .scadenze)
            let richiesta = try RichiestaScadenze(v)
            let oggi = configurazione.oggi()
            let valutate = try await archivio.usa(.lettura) { registro in
                if let fino = richiesta.fino { try Vista.controllaFino(fino, registro) }
                return try richiesta.valuta(registro, oggi: oggi)
            }
            let tabella = RichiestaScadenze.tabella(valutate)
            if let formato = request.uri.queryParameters.get("formato") { return try Self.scaricamento([tabella], formato: formato, nome: "scadenze") }
            var corpo = Self.filtriScadenze(request, richiesta)
            let giorno = (richiesta.al ?? oggi).italiano
            corpo += Self.tabellaHTML(tabella, titolo: "Scadenze al \(giorno)", scarica: (Self.inFormato(request, "csv"), Self.inFormato(request, "xlsx")),
                                      evidenzia: { riga in [.testo("mancata"), .testo("a rischio")].contains(riga[10]) })
            return pagina("Scadenze", corpo, context, vista: Self.vista(request, al: richiesta.al, fino: richiesta.fino))
        } catch {
            return errore(error, context)
        }
    }

    /// The filters of the scadenze page: fonte, stato, the days that make a scadenza `a rischio`, the view day.
    static func filtriScadenze(_ request: Request, _ r: RichiestaScadenze) -> String {
        let e = escape
        let stati = ([""] + StatoScadenza.allCases.map(\.rawValue)).map { s in
            "<option value=\"\(e(s))\"\(r.stato?.rawValue == s || (s.isEmpty && r.stato == nil) ? " selected" : "")>\(s.isEmpty ? "tutti" : e(s))</option>"
        }.joined()
        return """
            <form method="get" class="modulo stretto filtri"><label>Fonte <input name="fonte" value="\(e(r.fonte ?? ""))" size="16"></label>
            <label>Stato <select name="stato">\(stati)</select></label>
            <label>A rischio entro giorni <input name="entro" value="\(r.entro)" size="4" inputmode="numeric"></label>
            <label>Al giorno <input type="date" name="al" value="\(r.al?.description ?? "")"></label>
            <button>Mostra</button></form>
            """
    }

    func rendicontazioni(_ request: Request, _ context: ContestoFondi, rotta: Rotta) async -> Response {
        do {
            let v = try Self.valori(request, rotta)
            let formato = request.uri.queryParameters.get("formato")
            let scarica = (Self.inFormato(request, "csv"), Self.inFormato(request, "xlsx"))
            if rotta == .rendicontazioni {
                let destinatario = try v.codiceOpzionale("destinatario")?.testo
                let stato = try await archivio.usa(.lettura) { try $0.vista(al: nil, fino: nil, impegni: false, avviso: { _ in }) }
                let t = Rendicontazioni.elenco(stato, destinatario: destinatario)
                if let formato { return try Self.scaricamento([t], formato: formato, nome: "rendicontazioni") }
                return pagina("Rendicontazioni", Self.tabellaHTML(t, titolo: "Rendicontazioni inviate", scarica: scarica,
                                                                  collega: ["numero": "/rendicontazione?numero="]), context)
            }
            let numero = try v.codice("numero").testo
            if rotta == .confronto {
                let (r, t, titolo) = try await archivio.usa(.lettura) { try Rendicontazioni.confronta(numero, $0) }
                if let formato { return try Self.scaricamento([t], formato: formato, nome: "confronto-\(Self.nomeFile(r.numero))") }
                let corpo = "<p><a href=\"/rendicontazione?numero=\(r.numero.percentoCodificato)\">Torna alla rendicontazione \(Self.escape(r.numero))</a></p>"
                    + Self.tabellaHTML(t, titolo: titolo + ": impegnato, liquidato e pagato inviati", scarica: scarica)
                return pagina("Confronto della rendicontazione \(r.numero)", corpo, context)
            }
            let (r, tabelle) = try await archivio.usa(.lettura) { try Rendicontazioni.mostra(numero, $0) }
            if let formato { return try Self.scaricamento([tabelle[0]], formato: formato, nome: "rendicontazione-\(Self.nomeFile(r.numero))") }
            return pagina("Rendicontazione \(r.numero)", Self.mostraRendicontazione(r, tabelle, scarica: scarica), context)
        } catch {
            return errore(error, context)
        }
    }

    static func mostraRendicontazione(_ r: Rendicontazione, _ tabelle: [Tabella], scarica: (csv: String, xlsx: String)) -> String {
        let e = escape
        var corpo = "<p>Inviata a <strong>\(e(r.destinatario))</strong> con le cifre al \(r.al.italiano), registrata il \(r.data.italiano) "
        corpo += "(<a href=\"/eventi/\(r.seq)\">evento \(r.seq)</a>)" + (r.atto.map { ", atto \(e($0))" } ?? "") + (r.motivo.map { ". Motivo: \(e($0))" } ?? "") + ".</p>"
        corpo += "<p><a href=\"/rendicontazione/confronto?numero=\(r.numero.percentoCodificato)\">Confronta con l'invio precedente</a></p>"
        // One narrow table per fonte (figure, as sent, today): readable on a phone; the downloads keep one row per fonte.
        for t in Rendicontazioni.perFonte(r, tabelle[0]) {
            corpo += tabellaHTML(t, titolo: "\(t.nome): cifre inviate e, accanto, le stesse al \(r.al.italiano) nel registro di oggi", scarica: nil,
                                 evidenzia: { $0[2] != .nullo && $0[2] != $0[1] })
        }
        corpo += "<p class=\"scarica\">Scarica le cifre: <a href=\"\(e(scarica.csv))\">CSV</a> · <a href=\"\(e(scarica.xlsx))\">Excel (xlsx)</a></p>"
        corpo += tabellaHTML(tabelle[1], titolo: "Rettifiche: eventi registrati dopo l'invio e datati entro il \(r.al.italiano)", scarica: nil,
                             evidenzia: { _ in true })
        return corpo
    }

    /// A code as part of a download's file name (codes may hold `/`).
    static func nomeFile(_ codice: String) -> String { codice.replacingAll("/", with: "-") }
}
