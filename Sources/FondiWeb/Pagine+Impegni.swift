import Fondi
import FondiServizi
import FondiStore
import Foundation
import HTTPTypes
import Hummingbird

/// `/impegni`: the impegni of a linea (the drill-down from `saldi`), searchable by number, creditore, oggetto,
/// CIG or CUP, sortable, 50 a page, answered by SQLite's indexes at the head of the ledger. With `?al=` or
/// `?fino_a=` the list is the impegni still open at that point, from the same state as the reports.
extension Pagine {
    func impegni(_ request: Request, _ context: ContestoFondi) async -> Response {
        do {
            let v = try Self.valori(request, ammessi: ["fonte", "servizio", "esercizio", "q", "ordina", "verso", "pagina", "da_pagare", "al", "fino-a"])
            let al = try v.data("al"), fino = try v.seq("fino-a")
            var r = RicercaImpegni(fonte: try v.codiceOpzionale("fonte")?.testo, servizio: try v.codiceOpzionale("servizio")?.testo,
                                   esercizio: try v.annoOpzionale("esercizio"), testo: v.testoGrezzo("q"))
            r.ordine = RicercaImpegni.Ordine(rawValue: try v.scelta("ordina", tra: RicercaImpegni.Ordine.allCases.map(\.rawValue), predefinita: "numero"))!
            r.discendente = try v.scelta("verso", tra: ["su", "giu"], predefinita: "su") == "giu"
            r.soloDaPagare = v.testoGrezzo("da_pagare") == "true" || v.testoGrezzo("da_pagare") == "on"
            if let p = v.testoGrezzo("pagina") { r.pagina = Int(try Lettura.seq(p, campo: "pagina")) }
            let ricerca = r
            let (trovati, totale) = try await archivio.usa(.lettura) { registro -> ([Impegno], Int) in
                guard al != nil || fino != nil else { return try registro.cerca(ricerca) }
                let stato = try Vista.stato(registro, al: al, fino: fino, impegni: true, avviso: { _ in })
                let testo = ricerca.testo?.lowercased() ?? ""
                let scelti = stato.impegni.values.filter { i in
                    (ricerca.fonte == nil || ricerca.fonte == i.linea.fonte) && (ricerca.servizio == nil || ricerca.servizio == i.linea.servizio)
                        && (ricerca.esercizio == nil || ricerca.esercizio == i.linea.esercizio) && (!ricerca.soloDaPagare || i.daPagare > 0)
                        && (testo.isEmpty || [i.numero, i.creditore, i.oggetto, i.cig ?? "", i.cup ?? ""].contains { $0.lowercased().contains(testo) })
                }
                let ordinati = OrdineImpegni.ordina(scelti) { ($0.linea.esercizio, $0.numero) }
                let inizio = (max(1, ricerca.pagina) - 1) * RicercaImpegni.perPagina
                return (Array(ordinati.dropFirst(inizio).prefix(RicercaImpegni.perPagina)), ordinati.count)
            }
            var t = Tabella(nome: "impegni", colonne: ["impegno", "fonte", "servizio", "esercizio", "creditore", "oggetto", "impegnato", "liquidato",
                                                       "pagato", "da_liquidare", "da_pagare", "cig", "cup"])
            for i in trovati {
                t.righe.append([.testo(i.numero), .testo(i.linea.fonte), .testo(i.linea.servizio), .intero(Int64(i.linea.esercizio)), .testo(i.creditore),
                                .testo(i.oggetto), .importo(i.impegnato), .importo(i.liquidato), .importo(i.pagato), .importo(i.daLiquidare),
                                .importo(i.daPagare), i.cig.map(Cella.testo) ?? .nullo, i.cup.map(Cella.testo) ?? .nullo])
            }
            var corpo = Self.moduloRicerca(request, r)
            corpo += Self.tabellaHTML(t, titolo: "\(totale) \(totale == 1 ? "impegno" : "impegni")" + (totale > RicercaImpegni.perPagina ? ", pagina \(r.pagina)" : ""))
            corpo += Self.paginazione(request, pagina: r.pagina, totale: totale)
            return pagina("Impegni", corpo, context, vista: Self.vista(request, al: al, fino: fino))
        } catch {
            return errore(error, context)
        }
    }

    static func moduloRicerca(_ request: Request, _ r: RicercaImpegni) -> String {
        let nascosti = request.uri.queryParameters.filter { ["fonte", "servizio", "esercizio", "al", "fino_a"].contains(String($0.key)) }
            .map { "<input type=\"hidden\" name=\"\(escape(String($0.key)))\" value=\"\(escape(String($0.value)))\">" }.joined()
        let ordini = RicercaImpegni.Ordine.allCases.map { o in
            "<option value=\"\(o.rawValue)\"\(o == r.ordine ? " selected" : "")>\(Rendering.intestazione(o.rawValue))</option>"
        }.joined()
        return """
            <form method="get" class="tempo">\(nascosti)
            <label>Cerca (numero, creditore, oggetto, CIG, CUP) <input name="q" value="\(escape(r.testo ?? ""))"></label>
            <label>Ordina per <select name="ordina">\(ordini)</select></label>
            <label>Verso <select name="verso"><option value="su"\(r.discendente ? "" : " selected")>crescente</option><option value="giu"\(r.discendente ? " selected" : "")>decrescente</option></select></label>
            <label><input type="checkbox" name="da_pagare" value="true"\(r.soloDaPagare ? " checked" : "")> solo con somme da pagare</label>
            <button>Cerca</button></form>
            """
    }

    static func paginazione(_ request: Request, pagina: Int, totale: Int) -> String {
        let pagine = max(1, (totale + RicercaImpegni.perPagina - 1) / RicercaImpegni.perPagina)
        guard pagine > 1 else { return "" }
        func link(_ p: Int) -> String {
            let resto = request.uri.queryParameters.filter { $0.key != "pagina" }.map { "\($0.key)=\(String($0.value).percentoCodificato)" }
            return request.uri.path + "?" + (resto + ["pagina=\(p)"]).joined(separator: "&")
        }
        var out = "<p class=\"pagine\">"
        if pagina > 1 { out += "<a href=\"\(escape(link(pagina - 1)))\">← precedente</a> " }
        out += "pagina \(pagina) di \(pagine)"
        if pagina < pagine { out += " <a href=\"\(escape(link(pagina + 1)))\">successiva →</a>" }
        return out + "</p>"
    }
}
