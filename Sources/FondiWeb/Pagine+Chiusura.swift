import Fondi
import FondiServizi
import FondiStore
import Foundation
import HTTPTypes
import Hummingbird

/// The year-end as a wizard (issue 10, DOMAIN §5 and §9.2): choose the esercizio; for every impegno still to
/// pay choose mantenere, reimputare (to which year, how much, as which number) or eliminare (how much, why);
/// see what `chiudi --prova` would append after that riaccertamento; confirm with the Giunta's act. The
/// reimputazioni, eliminazioni and the closing are one transaction, all or nothing.
extension Pagine {
    struct Scelta {
        let impegno: Impegno
        var azione = "mantenere"
        var importo = ""
        var anno = ""
        var numero = ""
        var motivo = ""
    }

    /// Which rows of the riaccertamento table are shown (text in the number or the creditore, the esercizio of
    /// origin). Hidden rows stay in the form with their choices: the closing covers every impegno; the bulk
    /// choices apply to the rows shown.
    struct FiltroRiaccertamento {
        var testo = ""
        var provenienza: Int?

        var attivo: Bool { !testo.isEmpty || provenienza != nil }

        init(testo: String = "", provenienza: Int? = nil) { (self.testo, self.provenienza) = (testo, provenienza) }

        /// From a posted form: `filtro` and `provenienza`, with `suffisso` (`_applicato`: the filter in force).
        init(_ f: [String: String], suffisso: String) {
            testo = String((f["filtro" + suffisso] ?? "").trimmingCharacters(in: .whitespaces).prefix(Limiti.testoLunghezzaMax))
            provenienza = f["provenienza" + suffisso].flatMap { Int($0) }
        }

        func mostra(_ i: Impegno) -> Bool {
            if let provenienza, i.linea.esercizio != provenienza { return false }
            guard !testo.isEmpty else { return true }
            return i.numero.localizedCaseInsensitiveContains(testo) || i.creditore.localizedCaseInsensitiveContains(testo)
        }
    }

    func chiusura(_ request: Request, _ context: ContestoFondi) async -> Response {
        guard let s = context.sessione, Autorizzazione.puo(s.utente.ruolo, "chiudi") else { return vietato(context, "la chiusura dell'esercizio") }
        do {
            let testo = request.uri.queryParameters.get("esercizio")
            let (aperti, impegni) = try await archivio.usa(.lettura) { r -> ([Int], [Impegno]) in
                let stato = try r.statoPerRapporti(impegniDaPagare: true)
                return (stato.esercizi.values.filter { !$0.chiuso }.map(\.anno).sorted(), Array(stato.impegni.values))
            }
            guard let testo, !testo.isEmpty else {
                let opzioni = aperti.map { "<option value=\"\($0)\">\($0)</option>" }.joined()
                let corpo = aperti.isEmpty ? "<p>Nessun esercizio aperto con linee o accertamenti.</p>" : """
                    <form method="get" class="modulo stretto"><label>Esercizio da chiudere <select name="esercizio">\(opzioni)</select></label>
                    <button>Avanti: il riaccertamento</button></form>
                    """
                return pagina("Chiusura dell'esercizio", corpo, context)
            }
            let n = try Lettura.anno(testo, campo: "esercizio")
            let scelte = OrdineImpegni.ordina(impegni.filter { $0.linea.esercizio <= n && $0.daPagare > 0 }) { ($0.linea.esercizio, $0.numero) }
                .map { i in Scelta(impegno: i, importo: Importo.formatoItaliano(i.daLiquidare), anno: "\(n + 1)",
                                   numero: "\(n + 1)/da-" + i.numero.replacingOccurrences(of: "/", with: "-")) }
            return paginaRiaccertamento(n, scelte, context, atto: "", data: configurazione.oggi().italiano, chiave: "web-" + Registro.segreto())
        } catch {
            return errore(error, context)
        }
    }

    func paginaRiaccertamento(_ n: Int, _ scelte: [Scelta], _ context: ContestoFondi, atto: String, data: String, chiave: String,
                              filtro: FiltroRiaccertamento = .init(), messaggio: String? = nil, anteprima: String? = nil,
                              stato: HTTPResponse.Status = .ok) -> Response {
        let e = Self.escape
        let righe = Self.righeRiaccertamento(scelte, filtro: filtro)
        let mostrate = scelte.filter { filtro.mostra($0.impegno) }.count
        var corpo = "<p class=\"sintesi\">Per ogni impegno ancora da pagare: <b>mantenere</b> (esigibile entro il 31/12/\(n): diventa residuo passivo), "
            + "<b>reimputare</b> all'esercizio di esigibilità (FPV), oppure <b>eliminare</b> la parte senza obbligazione. Poi l'anteprima, poi la conferma.</p>"
        if let messaggio { corpo += "<p class=\"errore\" role=\"alert\">\(e(messaggio))</p>" }
        corpo += """
            <form method="post" action="/chiusura" class="riaccertamento" novalidate>
            <input type="hidden" name="csrf" value="\(e(context.sessione?.csrf ?? ""))"><input type="hidden" name="chiave" value="\(e(chiave))">
            <input type="hidden" name="esercizio" value="\(n)">
            \(Self.filtroRiaccertamento(scelte, filtro: filtro, mostrate: mostrate))
            <p class="massa">\(!filtro.attivo ? "Per tutte le righe" : mostrate == 1 ? "Per la riga mostrata" : "Per le \(mostrate) righe mostrate"):
            <button name="passo" value="tutti_mantenere">Mantieni tutti</button>
            <button name="passo" value="tutti_reimputare">Reimputa tutti al \(n + 1)</button></p>
            <section class="tabella"><table><thead><tr><th>Impegno</th><th class="num">Esercizio</th><th>Creditore</th><th class="num">Da liquidare</th><th class="num">Da pagare</th>
            <th>Scelta</th><th>Importo</th><th>Anno (reimputare)</th><th>Nuovo numero (reimputare)</th><th>Motivo (eliminare)</th></tr></thead>
            <tbody>\(righe.isEmpty ? "<tr><td colspan=\"10\">nessun impegno da pagare</td></tr>" : righe)</tbody></table></section>
            <div class="modulo stretto">
            <label>Atto (delibera di Giunta del riaccertamento e della chiusura) * <input name="atto" value="\(e(atto))"></label>
            <label>Data * <input name="data" value="\(e(data))" placeholder="gg/mm/aaaa" inputmode="numeric"></label>
            </div>
            \(anteprima ?? "")
            <p><button name="passo" value="anteprima">Anteprima</button></p>
            \(anteprima == nil ? "" : """
                <div class="conferma"><p>La chiusura non si può annullare: riporta residui, economie, FPV e residui attivi e fa decadere le prenotazioni.</p>
                <div class="campo"><label for="conferma-esercizio">Per confermare scrivi l'esercizio da chiudere (\(n))</label>
                <input id="conferma-esercizio" name="conferma_esercizio" required autocomplete="off" inputmode="numeric" size="6"></div>
                <p><button class="pericolo" name="passo" value="conferma">Conferma e chiudi il \(n)</button></p></div>
                """)
            </form>
            """
        return pagina("Chiusura dell'esercizio \(n): riaccertamento", corpo, context, stato: stato)
    }

    func inviaChiusura(_ request: Request, _ context: ContestoFondi) async -> Response {
        let campi: [(String, String)]
        do { campi = try await Self.campi(request, context) } catch { return errore(error, context) }
        guard let s = context.sessione, Self.csrfValido(campi, atteso: s.csrf) else {
            return pagina("Non consentito", Modelli.rendi("testo", ["testo": "modulo senza token CSRF valido: nulla è stato registrato"]), context, stato: .forbidden)
        }
        guard Autorizzazione.puo(s.utente.ruolo, "chiudi") else { return vietato(context, "la chiusura dell'esercizio") }
        var f: [String: String] = [:]
        for (k, v) in campi where f[k] == nil { f[k] = v }
        let atto = f["atto"] ?? "", data = f["data"] ?? "", chiave = f["chiave"] ?? "web-" + Registro.segreto()
        guard let n = f["esercizio"].flatMap({ try? Lettura.anno($0, campo: "esercizio") }) else {
            return errore(ErroreValore("esercizio mancante o non valido"), context)
        }
        // The choices as typed, kept if the page comes back.
        var scelte: [Scelta] = []
        let impegni = (try? await archivio.usa(.lettura) { try $0.statoPerRapporti(impegniDaPagare: true).impegni }) ?? [:]
        var k = 0
        while let numero = f["impegno_\(k)"] {
            if let i = impegni[numero] {
                scelte.append(Scelta(impegno: i, azione: f["azione_\(k)"] ?? "mantenere", importo: f["importo_\(k)"] ?? "", anno: f["anno_\(k)"] ?? "",
                                     numero: f["numero_\(k)"] ?? "", motivo: f["motivo_\(k)"] ?? ""))
            }
            k += 1
        }
        // The filter the table was drawn with (hidden fields); "Filtra" applies what is typed in the visible ones.
        var filtro = FiltroRiaccertamento(f, suffisso: "_applicato")
        if let passo = f["passo"], ["filtra", "togli_filtro", "tutti_mantenere", "tutti_reimputare"].contains(passo) {
            if passo == "filtra" { filtro = FiltroRiaccertamento(f, suffisso: "") }
            if passo == "togli_filtro" { filtro = FiltroRiaccertamento() }
            if passo.hasPrefix("tutti_") { Self.sceltaPerTutti(&scelte, reimputa: passo == "tutti_reimputare", anno: n + 1, filtro: filtro) }
            return paginaRiaccertamento(n, scelte, context, atto: atto, data: data, chiave: chiave, filtro: filtro)
        }
        do {
            guard let utente = Codice(validando: s.utente.nome) else { throw ErroreValore("nome utente non valido") }
            // The preview always renders the field; a client posting without it (DOMAIN §8's fields only) is not asked.
            if f["passo"] == "conferma", let dato = f["conferma_esercizio"], dato.trimmingCharacters(in: .whitespaces) != "\(n)" {
                throw ErroreValore("conferma mancante: per chiudere scrivi l'esercizio \(n) nel campo di conferma; nulla è stato registrato")
            }
            var valori = Valori(origine: .riga)
            if !atto.isEmpty { _ = valori.imposta("atto", atto) }
            if !data.isEmpty { _ = valori.imposta("data", Self.dataISO(data)) }
            _ = valori.imposta("chiave", chiave)
            let base = try Catalogo.contesto(valori, base: Contesto(data: configurazione.oggi(), atto: nil, utente: utente, chiave: nil))
            guard let chiaveBase = base.chiave else { throw ErroreValore("chiave mancante") }
            func contesto(_ i: Int) throws -> Contesto {
                Contesto(data: base.data, atto: base.atto, utente: utente, chiave: try Codice(chiaveBase.testo + "-\(i)", campo: "chiave"))
            }
            var passi = try Self.passiRiaccertamento(scelte, contesto)
            passi.append(Passo(comando: .chiudi(esercizio: n), contesto: try contesto(scelte.count)))
            let conferma = f["passo"] == "conferma"
            let daApplicare = passi
            if conferma {
                let esiti = try await archivio.registra(daApplicare)
                let eventi = esiti.flatMap(\.eventi)
                guard let primo = eventi.first, let ultimo = eventi.last else { return Response.redirect(to: "/", type: .normal) }
                return Response.redirect(to: "/registrato?da=\(primo.seq)&a=\(ultimo.seq)", type: .normal)
            }
            let senzaChiave = passi.map { Passo(comando: $0.comando, contesto: Contesto(data: $0.contesto.data, atto: $0.contesto.atto, utente: utente, chiave: nil)) }
            let esiti = try await archivio.registra(senzaChiave, prova: true)
            return paginaRiaccertamento(n, scelte, context, atto: atto, data: data, chiave: chiave, filtro: filtro, anteprima: Self.anteprima(esiti.flatMap(\.eventi)))
        } catch {
            return paginaRiaccertamento(n, scelte, context, atto: atto, data: data, chiave: chiave, filtro: filtro, messaggio: messaggio(di: error),
                                        stato: Self.stato(error))
        }
    }

    /// A bulk choice for the rows the filter shows: mantenere, or reimputare to the next year.
    static func sceltaPerTutti(_ scelte: inout [Scelta], reimputa: Bool, anno: Int, filtro: FiltroRiaccertamento) {
        for k in scelte.indices where filtro.mostra(scelte[k].impegno) {
            scelte[k].azione = reimputa ? "reimputare" : "mantenere"
            if reimputa { scelte[k].anno = "\(anno)" }
        }
    }

    /// The table's rows, every impegno (those the filter hides carry `hidden`, so their choices are still sent).
    static func righeRiaccertamento(_ scelte: [Scelta], filtro: FiltroRiaccertamento) -> String {
        let e = Self.escape
        var righe = ""
        for (k, s) in scelte.enumerated() {
            let i = s.impegno
            func opzione(_ v: String) -> String { "<option value=\"\(v)\"\(s.azione == v ? " selected" : "")>\(v)</option>" }
            let n = e(i.numero)
            righe += """
                <tr\(filtro.mostra(i) ? "" : " hidden")><td><input type="hidden" name="impegno_\(k)" value="\(n)"><a href="/impegno?numero=\(e(i.numero.percentoCodificato))">\(n)</a></td>
                <td class="num">\(i.linea.esercizio)</td><td>\(e(i.creditore))</td>
                <td class="num">\(Importo.formatoItaliano(i.daLiquidare))</td><td class="num">\(Importo.formatoItaliano(i.daPagare))</td>
                <td><select name="azione_\(k)" aria-label="Scelta per l'impegno \(n)">\(opzione("mantenere"))\(opzione("reimputare"))\(opzione("eliminare"))</select></td>
                <td><input name="importo_\(k)" value="\(e(s.importo))" size="12" inputmode="decimal" aria-label="Importo per l'impegno \(n)"></td>
                <td><input name="anno_\(k)" value="\(e(s.anno))" size="5" inputmode="numeric" aria-label="Anno di reimputazione per l'impegno \(n)"></td>
                <td><input name="numero_\(k)" value="\(e(s.numero))" size="16" aria-label="Nuovo numero per l'impegno \(n)"></td>
                <td><input name="motivo_\(k)" value="\(e(s.motivo))" size="24" aria-label="Motivo dell'eliminazione per l'impegno \(n)"></td></tr>
                """
        }
        return righe
    }

    /// The filter above the table: text, esercizio of origin, how many rows are shown of how many.
    static func filtroRiaccertamento(_ scelte: [Scelta], filtro: FiltroRiaccertamento, mostrate: Int) -> String {
        let e = Self.escape
        let anni = Set(scelte.map(\.impegno.linea.esercizio)).sorted()
        let opzioni = "<option value=\"\">tutti</option>" + anni.map { "<option value=\"\($0)\"\(filtro.provenienza == $0 ? " selected" : "")>\($0)</option>" }.joined()
        return """
            <input type="hidden" name="filtro_applicato" value="\(e(filtro.testo))">
            <input type="hidden" name="provenienza_applicato" value="\(filtro.provenienza.map(String.init) ?? "")">
            <fieldset class="filtri"><legend>Filtra le righe (\(mostrate) di \(scelte.count) mostrate; la chiusura le riguarda tutte)</legend>
            <label>Numero o creditore <input name="filtro" value="\(e(filtro.testo))" size="20"></label>
            <label>Esercizio di provenienza <select name="provenienza">\(opzioni)</select></label>
            <button name="passo" value="filtra">Filtra</button>\(filtro.attivo ? " <button name=\"passo\" value=\"togli_filtro\">Togli il filtro</button>" : "")
            </fieldset>
            """
    }

    /// The reimputazioni and eliminazioni chosen, one step each with its own key (`contesto(i)`), in the table's order.
    static func passiRiaccertamento(_ scelte: [Scelta], _ contesto: (Int) throws -> Contesto) throws -> [Passo] {
        var passi: [Passo] = []
        for (i, sc) in scelte.enumerated() where sc.azione != "mantenere" {
            let numero = try NumeroImpegno(sc.impegno.numero, campo: "impegno")
            let importo: Importo
            do { importo = try Importo(testo: sc.importo) } catch { throw ErroreValore("impegno \(sc.impegno.numero): \(error.description)") }
            switch sc.azione {
            case "reimputare":
                passi.append(Passo(comando: .impegnoReimputa(impegno: numero, importo: importo, esercizio: try Lettura.anno(sc.anno, campo: "anno"),
                                                             numero: try NumeroImpegno(sc.numero, campo: "nuovo numero")), contesto: try contesto(i)))
            case "eliminare":
                guard !sc.motivo.isEmpty else { throw ErroreValore("impegno \(sc.impegno.numero): per eliminare indica il motivo") }
                passi.append(Passo(comando: .residuoElimina(impegno: numero, importo: importo, motivo: try Testo(sc.motivo, campo: "motivo")),
                                   contesto: try contesto(i)))
            default:
                throw ErroreValore("impegno \(sc.impegno.numero): scelta '\(Testo.visibile(sc.azione))' non valida")
            }
        }
        return passi
    }

    /// What the closing would append: every event, then the totals.
    static func anteprima(_ eventi: [EventoRegistrato]) -> String {
        var righe = ""
        for ev in eventi {
            righe += "<tr><td>\(escape(ev.evento.tipoEvento.inParole))</td><td>\(escape(ev.evento.sintesi))</td><td class=\"num\">\(ev.evento.importo.map(Importo.formatoItaliano) ?? "")</td></tr>"
        }
        var totali = ""
        if let ultimo = eventi.last, case let .esercizioChiuso(_, t, _) = ultimo.evento {
            totali = "<p>Residui passivi \(Importo.formatoItaliano(t.residuiPassivi)) · economie \(Importo.formatoItaliano(t.economie)) · FPV \(Importo.formatoItaliano(t.fpv))"
                + " · prenotazioni decadute \(Importo.formatoItaliano(t.prenotazioniDecadute)) · residui attivi \(Importo.formatoItaliano(t.residuiAttivi))</p>"
        }
        var decadute = Tabella(nome: "decadute", colonne: ["prenotazione", "importo"])
        for ev in eventi { if case let .prenotazioneDecaduta(p, importo) = ev.evento { decadute.righe.append([.testo(p), .importo(importo.centesimi)]) } }
        let prenotazioni = decadute.righe.isEmpty ? "<p>Nessuna prenotazione decade.</p>" : tabellaHTML(decadute, titolo: "Prenotazioni che decadranno", totali: true)
        return "<section><h2>Anteprima: cosa registrerebbe la chiusura (nulla è ancora scritto)</h2>\(totali)\(prenotazioni)<section class=\"tabella\"><table><thead><tr><th>Evento</th><th>Cosa</th><th class=\"num\">Importo</th></tr></thead><tbody>\(righe)</tbody></table></section></section>"
    }
}
