/// The handout's fixed text and style: the aftercare per healing phase, the simulation statement
/// and the page's CSS.
extension HandoutDocument {
    /// What to do in each healing phase. The phases and what they look like are DOMAIN.md's
    /// ("Healing and ageing": redness about 72 h, scalpny and vincihairclinic; crusts flaking by
    /// day 7 with part of the pigment, scalphair-uk and hairdoctornyc; settled by weeks 4–6,
    /// scalpclinic). The advice is what clinics' aftercare sheets agree on (practice, not
    /// measured): no water or sweat for the first 3–5 days, then water and a mild cleanser; no
    /// picking of crusts; no sun, pools or saunas for about a month; sunscreen or a hat after
    /// (New Age Spa's SMP aftercare, Enhanced Scalp's post-care instructions, Creative Scalp
    /// Arizona as quoted by Insider Advantage Georgia). Clinics differ by a day or two, so the
    /// page defers to the technician's own sheet.
    static var aftercareSection: String {
        """
        <section id="aftercare">
        <h2>Aftercare</h2>
        <p>Your technician's own instructions come first; clinics differ by a day or two. What most clinics ask:</p>
        <div class="phase">
        <h3>Days 0 to 3: red and a little swollen</h3>
        <p>The scalp looks like mild sunburn and the dots look darker and larger than they will be.</p>
        <ul>
        <li>Keep the scalp dry: no washing, no shower on the head.</li>
        <li>No sweating: no gym, sport, sauna or steam room.</li>
        <li>Keep out of the sun; a loose, clean hat if you must go out.</li>
        <li>Do not touch, scratch or shave the scalp; sleep on a clean pillowcase.</li>
        </ul>
        </div>
        <div class="phase">
        <h3>Days 4 to 7: tiny crusts</h3>
        <p>Small crusts form and flake off, taking some pigment with them: the dots look lighter for a while.</p>
        <ul>
        <li>From day 4 or 5, rinse with lukewarm water and a mild cleanser without alcohol or sulfates; pat dry.</li>
        <li>Do not pick or rub the crusts: pigment comes away with them.</li>
        <li>An unscented moisturiser if the skin feels dry.</li>
        <li>Still no heavy sweating, no sun, no swimming; no razor: an electric trimmer, around any crusts.</li>
        </ul>
        </div>
        <div class="phase">
        <h3>Weeks 2 to 4: settling</h3>
        <p>The surface has healed; the shade can look patchy until it settles, about 4 to 6 weeks after the last session.</p>
        <ul>
        <li>Normal showers and exercise again.</li>
        <li>Still no sunbathing or tanning beds, and no pools, sea or sauna until a month has passed.</li>
        <li>Your next session comes when the scalp has healed; the technician fills in what faded.</li>
        </ul>
        </div>
        <div class="phase">
        <h3>For the years after</h3>
        <ul>
        <li>Sun fades pigment: sunscreen (high SPF) or a hat outdoors.</li>
        <li>Keep the scalp moisturised; shave with a trimmer or foil shaver rather than a blade.</li>
        <li>Plan a touch-up every 3 to 6 years, as the pigment fades.</li>
        </ul>
        </div>
        <p class="source">Sources: the healing phases as clinics describe them (scalpny, vincihairclinic, scalphair-uk, \
        hairdoctornyc, scalpclinic); the advice as clinics' aftercare sheets give it (New Age Spa, Enhanced Scalp, \
        Creative Scalp Arizona). Practice, not measurement.</p>
        </section>

        """
    }

    /// The statement that the pictures are a simulation, and what makes a person's result differ
    /// from it (DOMAIN.md: skin type sets the contrast, healing the pigment kept, sun the fading).
    static var simulationSection: String {
        """
        <section id="simulation">
        <h2>This is a simulation, not a promise</h2>
        <p>Every picture here is computed: a model of a head sized like yours, your plan's dots placed by a \
        program, and pigment that heals and fades as it does for most people. It shows what the plan aims at. \
        It is not a photograph of you and not a guarantee of your result. What varies between people:</p>
        <ul>
        <li><strong>Skin type and tone.</strong> The same grey reads strongly on fair skin and faintly on dark skin; \
        the shade is matched to your skin and hair at the first session.</li>
        <li><strong>Healing.</strong> How red you get, how long it lasts, and how much pigment the crusts take with them \
        differ from person to person; that is what the later sessions correct.</li>
        <li><strong>Sun.</strong> Ultraviolet light fades pigment: a scalp often in the sun fades sooner and needs \
        touch-ups sooner.</li>
        <li><strong>Hair loss going on.</strong> If your hair keeps thinning, untreated scalp can appear beside the \
        treated area, and the design may need extending.</li>
        <li><strong>The technician.</strong> Needle, depth, hand and ink dilution shape every dot; too deep a dot \
        spreads into a blur.</li>
        <li><strong>Light and distance.</strong> Close up, in bright light or in photos the dots show; at a normal \
        distance they read as a shadow.</li>
        </ul>
        </section>

        """
    }

    /// Phone first: one column, images at most the screen's width, tables scrolled sideways
    /// rather than squeezed. Printed: each section after the first on a new page, figures and table rows never
    /// split, the close-up at its true size.
    static func style(closeUpWidthMM: Double, patchSideMM: Double) -> String {
        """

        body { font-family: "DejaVu Sans", system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height: 1.5;
          color: #1f1f1f; background: #fff; margin: 0 auto; max-width: 60rem; padding: 1rem; }
        h1 { font-size: 1.6rem; line-height: 1.2; margin: .5rem 0; }
        h2 { font-size: 1.3rem; margin-top: 2rem; border-bottom: 1px solid #ccc; }
        h3 { font-size: 1.05rem; margin: 1.25rem 0 .25rem; }
        img { max-width: 100%; height: auto; display: block; }
        figure { margin: 0 0 .75rem; }
        figcaption { font-size: .85rem; color: #444; }
        .pair { display: grid; grid-template-columns: 1fr 1fr; gap: .5rem; }
        .patches { display: grid; grid-template-columns: repeat(auto-fill, minmax(5rem, 1fr)); gap: .5rem; }
        .strip { display: grid; grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr)); gap: .5rem; }
        .milestones { display: grid; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); gap: .75rem; }
        .notice { border-left: 4px solid #b45309; background: #fff7ed; padding: .5rem .75rem; }
        .source { font-size: .8rem; color: #555; }
        .table-wrap { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; font-size: .9rem; }
        th, td { border-bottom: 1px solid #ddd; padding: .3rem .4rem; text-align: right; white-space: nowrap; }
        th:first-child, td:first-child { text-align: left; }
        tr.total td { border-top: 2px solid #999; }
        tr.tools td { white-space: normal; vertical-align: top; font-size: .8rem; }
        footer { margin-top: 2rem; font-size: .8rem; color: #555; }
        @page { size: A4; margin: 14mm; }
        @media print {
          body { max-width: none; padding: 0; font-size: 10.5pt; }
          nav { display: none; }
          section ~ section { break-before: page; }
          /* Short sections share the page before them: the distance strip the close-up's, the
             statement the plan's. */
          #distance, #simulation { break-before: auto; margin-top: 8mm; }
          h2 { margin-top: 0; }
          figure, tr, .phase, .block { break-inside: avoid; }
          a { color: inherit; text-decoration: none; }
          .pair { max-width: 90mm; }
          .closeup { max-width: none; grid-template-columns: repeat(2, \(millimetres(closeUpWidthMM))mm); }
          .closeup img { width: \(millimetres(closeUpWidthMM))mm; max-width: none; }
          .patches { grid-template-columns: repeat(auto-fill, \(millimetres(patchSideMM + 4))mm); }
          .patches img { width: \(millimetres(patchSideMM))mm; max-width: none; }
          .strip { grid-template-columns: repeat(var(--columns), 42mm); }
          .strip img { width: \(millimetres(patchSideMM))mm; max-width: none; }
          .milestones { grid-template-columns: repeat(4, 1fr); }
        }

        """
    }
}
