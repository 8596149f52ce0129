import type { Channel, NotificationKind, SequenceTrigger, WindowRule } from '@mona/shared';
import type { ExitRule, TriggerConfig } from './sequences.tables.ts';

/**
 * The default sequences of PRODUCT.md and their messages, as data. They are
 * installed at API start-up with `insert ... on conflict (code) do nothing`:
 * a template or sequence that exists (possibly edited by staff) is never
 * overwritten, and a default sequence's steps are only written when the
 * sequence itself is created, so a restart never undoes a staff edit.
 *
 * Bodies are Handlebars templates; emails are Markdown (the renderer makes the
 * HTML and the plain-text part, and adds the unsubscribe footer to marketing
 * messages). Variables: {{name}} (the recipient), {{appUrl}} (the web app).
 */

export interface TemplateContent {
  subject: string;
  body: string;
}
export interface DefaultTemplate {
  code: string;
  channel: Channel;
  kind: NotificationKind;
  name: string;
  contents: { fr: TemplateContent; en: TemplateContent };
}
export interface DefaultStep {
  templateCode: string;
  delayMinutes: number;
  windowRule: WindowRule;
}
export interface DefaultSequence {
  code: string;
  name: string;
  description: string;
  trigger: SequenceTrigger;
  triggerConfig: TriggerConfig;
  exitRules: ExitRule[];
  steps: DefaultStep[];
}

const HOUR = 60;
const DAY = 1440;

/** Offer codes of the catalogue (migration 0003). */
export const OFFER_CODES = { mona290: 'mona-290', mona390: 'mona-390', mona490: 'mona-490' } as const;

const STOP_FR = 'STOP SMS : répondez STOP';
const STOP_EN = 'Reply STOP to opt out';

export const DEFAULT_TEMPLATES: readonly DefaultTemplate[] = [
  // Welcome prospect, 7 days.
  {
    code: 'welcome.d0.email',
    channel: 'email',
    kind: 'activity',
    name: 'Welcome D0 — your account is open',
    contents: {
      fr: {
        subject: 'Bienvenue chez MONA, {{name}}',
        body: `Bonjour {{name}},

Votre compte MONA est ouvert. Merci de nous faire confiance pour la suite de votre parcours d'artiste.

MONA accompagne les artistes indépendants pas à pas : on regarde où vous en êtes vraiment, on vous dit quoi faire ensuite, et on vous aide à le faire. Pour les artistes prêts à passer un cap, nos résidences SPARK réunissent quelques talents dans une villa de création, avec des lives, des sponsors et une équipe autour d'eux.

Pour bien démarrer, prenez cinq minutes pour compléter votre profil :

- vos liens (Spotify, Instagram, TikTok, YouTube…),
- vos genres et votre ville,
- un numéro de téléphone si vous acceptez d'être rappelé.

[Compléter mon profil]({{appUrl}}/portal)

Dans les jours qui viennent, nous vous enverrons quelques conseils concrets, tirés de ce que nous voyons chaque semaine chez les artistes que nous suivons.

À très vite,
L'équipe MONA`,
      },
      en: {
        subject: 'Welcome to MONA, {{name}}',
        body: `Hello {{name}},

Your MONA account is open. Thank you for trusting us with the next part of your journey as an artist.

MONA helps independent artists step by step: we look at where you really stand, tell you what to do next, and help you do it. For artists ready to move up a level, our SPARK residencies bring a few talents together in a creative villa, with live streams, sponsors and a team around them.

To get started, take five minutes to complete your profile:

- your links (Spotify, Instagram, TikTok, YouTube…),
- your genres and your city,
- a phone number if you are happy for us to call you.

[Complete my profile]({{appUrl}}/portal)

Over the next few days we will send you a few concrete tips, drawn from what we see every week with the artists we work with.

Speak soon,
The MONA team`,
      },
    },
  },
  {
    code: 'welcome.h2.sms',
    channel: 'sms',
    kind: 'marketing',
    name: 'Welcome +2h — SMS hello',
    contents: {
      fr: {
        subject: '',
        body: `{{name}}, bienvenue chez MONA ! Complétez votre profil (liens, genres) pour que l'équipe prépare votre premier regard sur votre projet : {{appUrl}}/portal ${STOP_FR}`,
      },
      en: {
        subject: '',
        body: `{{name}}, welcome to MONA! Complete your profile (links, genres) so the team can take a first look at your project: {{appUrl}}/portal ${STOP_EN}`,
      },
    },
  },
  {
    code: 'welcome.d3.email',
    channel: 'email',
    kind: 'marketing',
    name: 'Welcome D3 — the three signals we read first',
    contents: {
      fr: {
        subject: 'Les 3 signaux que nous regardons en premier',
        body: `Bonjour {{name}},

Quand un artiste nous rejoint, nous ne commençons pas par le nombre d'abonnés. Nous regardons trois signaux, que vous pouvez vérifier vous-même dès aujourd'hui :

1. **La régularité.** Publiez-vous au moins une fois par semaine, au même endroit ? Un rythme tenu vaut mieux qu'un pic isolé.
2. **L'engagement réel.** Sur vos dix dernières publications, combien de commentaires de personnes que vous ne connaissez pas ? C'est ce chiffre qui attire les programmateurs et les marques.
3. **La clarté.** Quelqu'un qui tombe sur votre profil comprend-il en trois secondes quel artiste vous êtes et quoi écouter en premier ?

Si l'un des trois coince, c'est normal : c'est là que la plupart des carrières se jouent.

Le check-up MONA 290 fait exactement ce travail, en profondeur : un audit de votre présence digitale, notre grille de 120 points, et une prescription écrite qui vous dit quoi faire, dans quel ordre.

[Découvrir le check-up MONA 290]({{appUrl}}/offers)

L'équipe MONA`,
      },
      en: {
        subject: 'The 3 signals we look at first',
        body: `Hello {{name}},

When an artist joins us, we do not start with the follower count. We look at three signals you can check yourself today:

1. **Consistency.** Do you post at least once a week, in the same place? A steady rhythm beats a one-off spike.
2. **Real engagement.** On your last ten posts, how many comments come from people you do not know? That is the number bookers and brands notice.
3. **Clarity.** Does someone landing on your profile understand in three seconds what kind of artist you are and what to play first?

If one of the three is stuck, that is normal: it is where most careers are decided.

The MONA 290 check-up does exactly this work, in depth: an audit of your digital presence, our 120-point grid, and a written prescription that tells you what to do, in which order.

[Discover the MONA 290 check-up]({{appUrl}}/offers)

The MONA team`,
      },
    },
  },
  {
    code: 'welcome.d5.email',
    channel: 'email',
    kind: 'marketing',
    name: 'Welcome D5 — inside a MONA 290 check-up',
    contents: {
      fr: {
        subject: 'Ce que contient un check-up MONA 290',
        body: `Bonjour {{name}},

On nous demande souvent ce qu'il y a, concrètement, dans un check-up MONA 290. Voici le détail.

- **L'audit digital.** Nous passons en revue vos plateformes de streaming et vos réseaux : audience, croissance, engagement, cohérence visuelle, qualité de vos sorties.
- **La grille de 120 points.** Chaque point est noté. Vous voyez vos forces, vos angles morts et votre position par rapport aux artistes de votre stade.
- **La prescription écrite.** Un document clair, avec vos priorités pour les 90 prochains jours : ce qu'il faut arrêter, ce qu'il faut lancer, et comment le mesurer.

Le tout pour 290 €, sans engagement pour la suite.

[Réserver mon check-up]({{appUrl}}/offers)

Une question avant de vous lancer ? Répondez simplement à cet e-mail, quelqu'un de l'équipe vous répondra.

L'équipe MONA`,
      },
      en: {
        subject: "What's inside a MONA 290 check-up",
        body: `Hello {{name}},

People often ask us what a MONA 290 check-up actually contains. Here it is.

- **The digital audit.** We go through your streaming platforms and social accounts: audience, growth, engagement, visual consistency, the quality of your releases.
- **The 120-point grid.** Every point is scored. You see your strengths, your blind spots and where you stand against artists at your stage.
- **The written prescription.** A clear document with your priorities for the next 90 days: what to stop, what to start, and how to measure it.

All for €290, with no commitment to anything after it.

[Book my check-up]({{appUrl}}/offers)

A question before you go ahead? Just reply to this email and someone from the team will answer.

The MONA team`,
      },
    },
  },
  {
    code: 'welcome.d6.sms',
    channel: 'sms',
    kind: 'marketing',
    name: 'Welcome D6 — SMS check-up reminder',
    contents: {
      fr: {
        subject: '',
        body: `{{name}}, votre check-up MONA 290 : audit digital, grille de 120 points et prescription écrite pour vos 90 prochains jours. C'est ici : {{appUrl}}/offers ${STOP_FR}`,
      },
      en: {
        subject: '',
        body: `{{name}}, your MONA 290 check-up: digital audit, 120-point grid and a written prescription for your next 90 days. Right here: {{appUrl}}/offers ${STOP_EN}`,
      },
    },
  },
  {
    code: 'welcome.d7.email',
    channel: 'email',
    kind: 'marketing',
    name: 'Welcome D7 — your next step',
    contents: {
      fr: {
        subject: 'Votre prochaine étape, {{name}}',
        body: `Bonjour {{name}},

Cela fait une semaine que vous avez rejoint MONA. Pour résumer ce que nous vous avons partagé :

- trois signaux à surveiller : régularité, engagement réel, clarté ;
- un check-up MONA 290 pour savoir précisément où vous en êtes et quoi faire ensuite ;
- et, plus loin, MONA 390 et 490+ pour le coaching, un plan de carrière et la préparation aux résidences SPARK.

La meilleure prochaine étape est souvent la plus simple : faire le point. Le check-up vous donne une réponse écrite, chiffrée, que vous gardez.

[Réserver mon check-up MONA 290]({{appUrl}}/offers)

Et si vous préférez en parler d'abord, répondez à cet e-mail : nous vous proposerons un court appel.

À bientôt,
L'équipe MONA`,
      },
      en: {
        subject: 'Your next step, {{name}}',
        body: `Hello {{name}},

It has been a week since you joined MONA. To sum up what we have shared:

- three signals to watch: consistency, real engagement, clarity;
- a MONA 290 check-up to know exactly where you stand and what to do next;
- and further on, MONA 390 and 490+ for coaching, a career plan and preparation for the SPARK residencies.

The best next step is often the simplest one: take stock. The check-up gives you a written, scored answer you keep.

[Book my MONA 290 check-up]({{appUrl}}/offers)

And if you would rather talk first, reply to this email and we will set up a short call.

Speak soon,
The MONA team`,
      },
    },
  },

  // MONA 290 nurturing, 30 days.
  {
    code: 'nurture290.d1.email',
    channel: 'email',
    kind: 'marketing',
    name: 'MONA 290 nurturing D1 — what happens now',
    contents: {
      fr: {
        subject: 'Votre check-up est lancé : la suite',
        body: `Bonjour {{name}},

Merci pour votre confiance : votre check-up MONA 290 est lancé.

Voici comment les prochains jours vont se passer :

1. Nous réalisons l'audit de vos plateformes et de vos réseaux. Vérifiez que vos liens sont à jour dans votre espace, c'est ce que nous analysons.
2. Nous remplissons la grille de 120 points.
3. Vous recevez votre prescription écrite, avec vos priorités pour 90 jours.

[Vérifier mes liens]({{appUrl}}/portal)

D'ici là, notez trois objectifs que vous aimeriez atteindre cette année. Nous les relirons avec votre prescription.

L'équipe MONA`,
      },
      en: {
        subject: 'Your check-up has started: what comes next',
        body: `Hello {{name}},

Thank you for your trust: your MONA 290 check-up has started.

Here is how the next few days will go:

1. We audit your platforms and social accounts. Make sure your links are up to date in your space, since that is what we analyse.
2. We fill in the 120-point grid.
3. You receive your written prescription, with your priorities for 90 days.

[Check my links]({{appUrl}}/portal)

In the meantime, write down three goals you would like to reach this year. We will read them again alongside your prescription.

The MONA team`,
      },
    },
  },
  {
    code: 'nurture290.d7.email',
    channel: 'email',
    kind: 'marketing',
    name: 'MONA 290 nurturing D7 — acting on the prescription',
    contents: {
      fr: {
        subject: 'Appliquer votre prescription : par où commencer',
        body: `Bonjour {{name}},

Une prescription ne sert que si on la met en œuvre. Ce qui marche le mieux chez les artistes que nous suivons :

- **Une seule priorité à la fois.** Prenez la première ligne de votre prescription et donnez-lui deux semaines pleines.
- **Un créneau fixe.** Deux heures par semaine, toujours le même jour, réservées à votre développement (pas à la création).
- **Une mesure simple.** Choisissez un chiffre de la grille et notez-le chaque lundi.

Vous bloquez sur un point ? Répondez à cet e-mail en nous disant lequel, nous vous orienterons.

L'équipe MONA`,
      },
      en: {
        subject: 'Acting on your prescription: where to start',
        body: `Hello {{name}},

A prescription only helps once you act on it. What works best for the artists we follow:

- **One priority at a time.** Take the first line of your prescription and give it two full weeks.
- **A fixed slot.** Two hours a week, always on the same day, set aside for your development (not for making music).
- **One simple measure.** Pick one number from the grid and write it down every Monday.

Stuck on a point? Reply to this email and tell us which one; we will point you in the right direction.

The MONA team`,
      },
    },
  },
  {
    code: 'nurture290.d14.email',
    channel: 'email',
    kind: 'marketing',
    name: 'MONA 290 nurturing D14 — halfway check',
    contents: {
      fr: {
        subject: 'Deux semaines après : ce qui a bougé',
        body: `Bonjour {{name}},

Deux semaines ont passé depuis votre check-up. C'est le bon moment pour un premier bilan :

- Reprenez le chiffre que vous suivez chaque lundi. Est-il en hausse, stable, en baisse ?
- Relisez la première priorité de votre prescription. Est-elle faite, en cours, pas commencée ?

Si tout avance, passez à la priorité suivante. Si rien ne bouge, ce n'est pas un manque de talent : c'est souvent une question de méthode et de regard extérieur. C'est exactement ce que nous apportons avec MONA 390 : deux séances de coaching et un plan de carrière sur un à deux ans.

[Voir MONA 390]({{appUrl}}/offers)

L'équipe MONA`,
      },
      en: {
        subject: 'Two weeks on: what has moved',
        body: `Hello {{name}},

Two weeks have passed since your check-up. It is a good moment for a first review:

- Take the number you track every Monday. Is it going up, flat, or down?
- Read the first priority of your prescription again. Is it done, in progress, not started?

If things are moving, go on to the next priority. If nothing moves, it is not a lack of talent: it is usually a matter of method and an outside view. That is exactly what MONA 390 brings: two coaching sessions and a career plan over one to two years.

[See MONA 390]({{appUrl}}/offers)

The MONA team`,
      },
    },
  },
  {
    code: 'nurture290.d21.sms',
    channel: 'sms',
    kind: 'marketing',
    name: 'MONA 290 nurturing D21 — SMS coaching offer',
    contents: {
      fr: {
        subject: '',
        body: `{{name}}, envie d'aller plus vite sur votre prescription ? MONA 390 ajoute 2 séances de coaching et un plan de carrière, plus l'accès à SPARK : {{appUrl}}/offers ${STOP_FR}`,
      },
      en: {
        subject: '',
        body: `{{name}}, want to move faster on your prescription? MONA 390 adds 2 coaching sessions, a career plan and SPARK access: {{appUrl}}/offers ${STOP_EN}`,
      },
    },
  },
  {
    code: 'nurture290.d30.email',
    channel: 'email',
    kind: 'marketing',
    name: 'MONA 290 nurturing D30 — the next level',
    contents: {
      fr: {
        subject: 'Un mois après votre check-up',
        body: `Bonjour {{name}},

Il y a un mois, vous faisiez le point avec MONA 290. Vous savez maintenant où vous en êtes. La question devient : comment aller plus loin, plus vite ?

MONA 390 reprend tout ce que contient le check-up et ajoute :

- **deux séances de coaching** avec un membre de l'équipe, pour débloquer ce qui coince ;
- **un plan de carrière sur un à deux ans**, avec des étapes datées ;
- **l'accès à SPARK**, nos résidences en villa de création.

[Passer à MONA 390]({{appUrl}}/offers)

Vous hésitez ? Répondez à cet e-mail, nous regarderons ensemble si c'est le bon moment.

L'équipe MONA`,
      },
      en: {
        subject: 'One month after your check-up',
        body: `Hello {{name}},

A month ago you took stock with MONA 290. You now know where you stand. The question becomes: how do you go further, faster?

MONA 390 includes everything in the check-up and adds:

- **two coaching sessions** with someone from the team, to unblock what is stuck;
- **a career plan over one to two years**, with dated milestones;
- **access to SPARK**, our creative villa residencies.

[Move up to MONA 390]({{appUrl}}/offers)

Not sure? Reply to this email and we will look together at whether now is the right time.

The MONA team`,
      },
    },
  },

  // MONA 390 upsell, 14 days.
  {
    code: 'upsell390.d2.email',
    channel: 'email',
    kind: 'marketing',
    name: 'MONA 390 upsell D2 — getting the most from coaching',
    contents: {
      fr: {
        subject: 'Tirer le meilleur de vos séances de coaching',
        body: `Bonjour {{name}},

Bienvenue dans MONA 390. Vos deux séances de coaching sont le cœur de cette formule ; voici comment en tirer le maximum :

- **Arrivez avec une question précise**, pas un sujet. « Comment passer de 2 à 5 % d'engagement sur Instagram ? » plutôt que « les réseaux ».
- **Apportez vos chiffres** : ceux de votre check-up et ceux d'aujourd'hui.
- **Repartez avec une action datée.** Nous la reprendrons à la séance suivante.

Votre plan de carrière sera construit à partir de ces échanges.

L'équipe MONA`,
      },
      en: {
        subject: 'Getting the most from your coaching sessions',
        body: `Hello {{name}},

Welcome to MONA 390. Your two coaching sessions are the heart of it; here is how to get the most from them:

- **Come with a precise question**, not a topic. "How do I go from 2 to 5% engagement on Instagram?" rather than "social media".
- **Bring your numbers**: those from your check-up and today's.
- **Leave with a dated action.** We will pick it up at the next session.

Your career plan will be built from these conversations.

The MONA team`,
      },
    },
  },
  {
    code: 'upsell390.d7.email',
    channel: 'email',
    kind: 'marketing',
    name: 'MONA 390 upsell D7 — six months with MONA 490+',
    contents: {
      fr: {
        subject: 'Six mois à vos côtés : MONA 490+',
        body: `Bonjour {{name}},

Un plan de carrière donne la direction. Le tenir sur la durée est une autre histoire : c'est là que la plupart des artistes s'essoufflent.

MONA 490+ prolonge MONA 390 avec :

- **six mois de suivi** : un point régulier avec l'équipe sur votre plan et vos chiffres ;
- **la prospection de sponsors** : nous cherchons des marques en accord avec votre univers ;
- **la préparation à SPARK** : dossier, live, présence, pour candidater à une résidence dans les meilleures conditions.

[Découvrir MONA 490+]({{appUrl}}/offers)

L'équipe MONA`,
      },
      en: {
        subject: 'Six months by your side: MONA 490+',
        body: `Hello {{name}},

A career plan sets the direction. Sticking to it over time is another story: that is where most artists run out of steam.

MONA 490+ extends MONA 390 with:

- **six months of follow-up**: regular check-ins with the team on your plan and your numbers;
- **sponsor prospecting**: we look for brands that fit your world;
- **SPARK preparation**: application, live set, presence, so you apply to a residency in the best shape.

[Discover MONA 490+]({{appUrl}}/offers)

The MONA team`,
      },
    },
  },
  {
    code: 'upsell390.d10.sms',
    channel: 'sms',
    kind: 'marketing',
    name: 'MONA 390 upsell D10 — SMS follow-up offer',
    contents: {
      fr: {
        subject: '',
        body: `{{name}}, votre plan de carrière est prêt à vivre. MONA 490+ : 6 mois de suivi, prospection de sponsors et préparation SPARK. {{appUrl}}/offers ${STOP_FR}`,
      },
      en: {
        subject: '',
        body: `{{name}}, your career plan is ready to run. MONA 490+: 6 months of follow-up, sponsor prospecting and SPARK preparation. {{appUrl}}/offers ${STOP_EN}`,
      },
    },
  },
  {
    code: 'upsell390.d14.email',
    channel: 'email',
    kind: 'marketing',
    name: 'MONA 390 upsell D14 — sponsors and SPARK',
    contents: {
      fr: {
        subject: 'Sponsors et résidences SPARK : se préparer',
        body: `Bonjour {{name}},

Les marques et les jurys SPARK regardent les mêmes choses : une identité claire, une communauté qui répond, et la preuve que vous tenez un rythme.

Avec MONA 490+, nous travaillons ces trois points avec vous pendant six mois, nous présentons votre projet à des sponsors et nous préparons votre candidature à une résidence SPARK.

Si vous voulez que l'on regarde ensemble si c'est le bon moment, répondez simplement à cet e-mail.

[Voir MONA 490+]({{appUrl}}/offers)

L'équipe MONA`,
      },
      en: {
        subject: 'Sponsors and SPARK residencies: getting ready',
        body: `Hello {{name}},

Brands and SPARK juries look at the same things: a clear identity, a community that responds, and proof that you keep a rhythm.

With MONA 490+, we work on those three points with you for six months, pitch your project to sponsors and prepare your application to a SPARK residency.

If you would like us to look together at whether now is the right time, just reply to this email.

[See MONA 490+]({{appUrl}}/offers)

The MONA team`,
      },
    },
  },

  // SPARK-ready invitation, 21 days.
  {
    code: 'spark.d0.email',
    channel: 'email',
    kind: 'marketing',
    name: 'SPARK-ready D0 — invitation',
    contents: {
      fr: {
        subject: '{{name}}, vous êtes prêt·e pour SPARK',
        body: `Bonjour {{name}},

Bonne nouvelle : votre score MONA vous place au niveau **SPARK-ready**. Peu d'artistes y arrivent, et c'est le résultat du travail de ces derniers mois.

SPARK, ce sont nos résidences en villa de création : quelques artistes réunis pendant plusieurs jours, un programme de création et de lives diffusés, des sponsors qui suivent la résidence, et l'équipe MONA sur place.

Nous aimerions vous y voir. La prochaine étape est de candidater à l'appel ouvert depuis votre espace.

[Voir les résidences SPARK]({{appUrl}}/portal)

L'équipe MONA x SPARK`,
      },
      en: {
        subject: "{{name}}, you're ready for SPARK",
        body: `Hello {{name}},

Good news: your MONA score puts you at the **SPARK-ready** level. Few artists get there, and it reflects the work of the past months.

SPARK is our creative villa residency: a few artists together for several days, a programme of creation and streamed live sessions, sponsors following the residency, and the MONA team on site.

We would love to see you there. The next step is to apply to the open call from your space.

[See the SPARK residencies]({{appUrl}}/portal)

The MONA x SPARK team`,
      },
    },
  },
  {
    code: 'spark.d0.inapp',
    channel: 'inapp',
    kind: 'marketing',
    name: 'SPARK-ready D0 — in-app invitation',
    contents: {
      fr: { subject: 'Vous êtes SPARK-ready', body: 'Votre score vous ouvre les résidences SPARK. Candidatez à l’appel ouvert depuis votre espace.' },
      en: { subject: "You're SPARK-ready", body: 'Your score opens the SPARK residencies to you. Apply to the open call from your space.' },
    },
  },
  {
    code: 'spark.d7.email',
    channel: 'email',
    kind: 'marketing',
    name: 'SPARK-ready D7 — a residency, concretely',
    contents: {
      fr: {
        subject: 'Une résidence SPARK, concrètement',
        body: `Bonjour {{name}},

À quoi ressemble une résidence SPARK ? En pratique :

- **Une villa**, partagée avec quelques artistes choisis pour la complémentarité de leurs univers.
- **Un planning** de création, de sessions live diffusées et de moments avec les sponsors.
- **Du contenu** produit sur place, que vous gardez pour vos réseaux.
- **Un jury** qui sélectionne les candidatures sur dossier, en tenant compte de l'équilibre des genres.

Candidater prend une vingtaine de minutes. Préparez deux titres, une vidéo live si vous en avez une, et quelques lignes sur ce que vous voulez créer pendant la résidence.

[Candidater]({{appUrl}}/portal)

L'équipe MONA x SPARK`,
      },
      en: {
        subject: 'A SPARK residency, concretely',
        body: `Hello {{name}},

What does a SPARK residency look like? In practice:

- **A villa**, shared with a few artists chosen because their worlds complement each other.
- **A schedule** of creation, streamed live sessions and time with the sponsors.
- **Content** produced on site, which you keep for your channels.
- **A jury** that selects applications on file, keeping a balance of genres.

Applying takes about twenty minutes. Have two tracks ready, a live video if you have one, and a few lines on what you want to create during the residency.

[Apply]({{appUrl}}/portal)

The MONA x SPARK team`,
      },
    },
  },
  {
    code: 'spark.d14.sms',
    channel: 'sms',
    kind: 'marketing',
    name: 'SPARK-ready D14 — SMS reminder',
    contents: {
      fr: {
        subject: '',
        body: `{{name}}, votre place en résidence SPARK se joue sur dossier : 2 titres, une vidéo live, quelques lignes. 20 minutes suffisent : {{appUrl}}/portal ${STOP_FR}`,
      },
      en: {
        subject: '',
        body: `{{name}}, your SPARK residency place is decided on file: 2 tracks, a live video, a few lines. 20 minutes is enough: {{appUrl}}/portal ${STOP_EN}`,
      },
    },
  },
  {
    code: 'spark.d21.email',
    channel: 'email',
    kind: 'marketing',
    name: 'SPARK-ready D21 — last reminder',
    contents: {
      fr: {
        subject: "Dernier rappel : l'appel SPARK",
        body: `Bonjour {{name}},

C'est notre dernier message à ce sujet : votre niveau SPARK-ready vous permet de candidater aux résidences, et nous serions heureux de recevoir votre dossier.

Si ce n'est pas le bon moment, aucun souci : votre place dans MONA ne change pas, et vous pourrez candidater à un prochain appel.

[Candidater à SPARK]({{appUrl}}/portal)

L'équipe MONA x SPARK`,
      },
      en: {
        subject: 'Last reminder: the SPARK open call',
        body: `Hello {{name}},

This is our last message on the subject: your SPARK-ready level lets you apply to the residencies, and we would be glad to receive your application.

If now is not the right time, no problem: nothing changes for you at MONA, and you can apply to a later call.

[Apply to SPARK]({{appUrl}}/portal)

The MONA x SPARK team`,
      },
    },
  },

  // Win-back, 10 days.
  {
    code: 'winback.d0.email',
    channel: 'email',
    kind: 'marketing',
    name: 'Win-back D0 — it has been a while',
    contents: {
      fr: {
        subject: 'Ça fait un moment, {{name}}',
        body: `Bonjour {{name}},

Nous n'avons pas eu de nouvelles depuis un moment, et nous espérons que la musique avance de votre côté.

Beaucoup d'artistes que nous suivons ont connu une période de creux : une sortie qui n'a pas pris, moins de temps, moins d'envie. C'est souvent là qu'un regard extérieur aide le plus.

Votre espace MONA est toujours là, avec votre profil et votre historique.

[Revenir sur mon espace]({{appUrl}}/portal)

Si vous voulez simplement nous dire où vous en êtes, répondez à cet e-mail : on lit tout.

L'équipe MONA`,
      },
      en: {
        subject: "It's been a while, {{name}}",
        body: `Hello {{name}},

We have not heard from you in a while, and we hope the music is moving on your side.

Many of the artists we follow have been through a quiet patch: a release that did not catch on, less time, less drive. That is often when an outside view helps most.

Your MONA space is still here, with your profile and your history.

[Back to my space]({{appUrl}}/portal)

If you just want to tell us where you are at, reply to this email: we read everything.

The MONA team`,
      },
    },
  },
  {
    code: 'winback.d4.email',
    channel: 'email',
    kind: 'marketing',
    name: 'Win-back D4 — three things in 20 minutes',
    contents: {
      fr: {
        subject: 'Trois choses à faire en 20 minutes',
        body: `Bonjour {{name}},

Pas besoin d'un grand plan pour relancer la machine. Trois gestes qui prennent vingt minutes en tout :

1. **Mettez à jour votre bio** sur votre plateforme principale : une phrase sur qui vous êtes, une sur ce qui arrive.
2. **Épinglez votre meilleur titre** là où on vous découvre en premier.
3. **Répondez à dix commentaires**, même anciens. Les algorithmes et les gens le remarquent.

Et si vous voulez savoir précisément où vous en êtes aujourd'hui, le check-up MONA 290 vous le dit noir sur blanc.

[Voir le check-up]({{appUrl}}/offers)

L'équipe MONA`,
      },
      en: {
        subject: 'Three things to do in 20 minutes',
        body: `Hello {{name}},

You do not need a big plan to get going again. Three moves that take twenty minutes in all:

1. **Update your bio** on your main platform: one sentence on who you are, one on what is coming.
2. **Pin your best track** where people discover you first.
3. **Reply to ten comments**, even old ones. Algorithms and people notice.

And if you want to know exactly where you stand today, the MONA 290 check-up tells you in black and white.

[See the check-up]({{appUrl}}/offers)

The MONA team`,
      },
    },
  },
  {
    code: 'winback.d7.sms',
    channel: 'sms',
    kind: 'marketing',
    name: 'Win-back D7 — SMS nudge',
    contents: {
      fr: {
        subject: '',
        body: `{{name}}, l'équipe MONA pense à vous. Un point rapide sur votre projet ? Votre espace vous attend : {{appUrl}}/portal ${STOP_FR}`,
      },
      en: {
        subject: '',
        body: `{{name}}, the MONA team is thinking of you. A quick check on your project? Your space is waiting: {{appUrl}}/portal ${STOP_EN}`,
      },
    },
  },
  {
    code: 'winback.d10.email',
    channel: 'email',
    kind: 'marketing',
    name: 'Win-back D10 — shall we keep your place?',
    contents: {
      fr: {
        subject: 'On garde votre place ?',
        body: `Bonjour {{name}},

C'est notre dernier message de relance. Nous ne voulons pas encombrer votre boîte : si MONA n'est plus pour vous en ce moment, le lien en bas de cet e-mail vous désinscrit en un clic.

Si au contraire vous voulez repartir, le plus simple est de commencer par faire le point : un check-up MONA 290, et une prescription écrite pour vos 90 prochains jours.

[Repartir avec MONA]({{appUrl}}/offers)

Dans tous les cas, merci d'avoir fait un bout de chemin avec nous.

L'équipe MONA`,
      },
      en: {
        subject: 'Shall we keep your place?',
        body: `Hello {{name}},

This is our last follow-up. We do not want to clutter your inbox: if MONA is not for you right now, the link at the bottom of this email unsubscribes you in one click.

If on the other hand you want to start again, the simplest way is to take stock: a MONA 290 check-up and a written prescription for your next 90 days.

[Start again with MONA]({{appUrl}}/offers)

Either way, thank you for walking part of the way with us.

The MONA team`,
      },
    },
  },
  // Operations: alerts for the admins (modules/ops; from Alertmanager's webhook or the in-process evaluator).
  // Variables: {{alertname}}, {{severity}}, {{summary}}, {{description}}, {{startsAt}}, {{endsAt}}, {{source}}.
  {
    code: 'ops.alert.firing.email',
    channel: 'email',
    kind: 'transactional',
    name: 'Ops — alert firing (email to admins)',
    contents: {
      fr: {
        subject: '[Alerte {{severity}}] {{summary}}',
        body: `Bonjour {{name}},

Une alerte vient de se déclencher sur la plateforme MONA x SPARK.

- **Alerte** : {{alertname}} ({{severity}})
- **Résumé** : {{summary}}
- **Détail** : {{description}}
- **Depuis** : {{startsAt}}
- **Source** : {{source}}

Les alertes en cours et récentes sont listées sur la page d'exploitation, et la marche à suivre pour chacune dans le runbook (docs/operations.md, « Monitoring and alerts »).

[Voir les alertes]({{link}})`,
      },
      en: {
        subject: '[{{severity}} alert] {{summary}}',
        body: `Hello {{name}},

An alert has just fired on the MONA x SPARK platform.

- **Alert**: {{alertname}} ({{severity}})
- **Summary**: {{summary}}
- **Details**: {{description}}
- **Since**: {{startsAt}}
- **Source**: {{source}}

Current and recent alerts are listed on the operations page, and what to do about each in the runbook (docs/operations.md, "Monitoring and alerts").

[See the alerts]({{link}})`,
      },
    },
  },
  {
    code: 'ops.alert.firing.inapp',
    channel: 'inapp',
    kind: 'transactional',
    name: 'Ops — alert firing (in-app to admins)',
    contents: {
      fr: { subject: 'Alerte {{severity}} : {{alertname}}', body: '{{summary}} — {{description}} (depuis {{startsAt}})' },
      en: { subject: '{{severity}} alert: {{alertname}}', body: '{{summary}} — {{description}} (since {{startsAt}})' },
    },
  },
  {
    code: 'ops.alert.resolved.email',
    channel: 'email',
    kind: 'transactional',
    name: 'Ops — alert resolved (email to admins)',
    contents: {
      fr: {
        subject: '[Résolue] {{summary}}',
        body: `Bonjour {{name}},

L'alerte **{{alertname}}** est résolue.

- **Résumé** : {{summary}}
- **Du** {{startsAt}} **au** {{endsAt}}
- **Source** : {{source}}

[Voir les alertes]({{link}})`,
      },
      en: {
        subject: '[Resolved] {{summary}}',
        body: `Hello {{name}},

The **{{alertname}}** alert is resolved.

- **Summary**: {{summary}}
- **From** {{startsAt}} **to** {{endsAt}}
- **Source**: {{source}}

[See the alerts]({{link}})`,
      },
    },
  },
  {
    code: 'ops.alert.resolved.inapp',
    channel: 'inapp',
    kind: 'transactional',
    name: 'Ops — alert resolved (in-app to admins)',
    contents: {
      fr: { subject: 'Résolue : {{alertname}}', body: '{{summary}} — résolue à {{endsAt}}' },
      en: { subject: 'Resolved: {{alertname}}', body: '{{summary}} — resolved at {{endsAt}}' },
    },
  },
];

/** Delays of the welcome sequence's steps: email D0, SMS +2h, email D3, D5, SMS D6, email D7. */
export const WELCOME_STEP_DELAYS = [0, 2 * HOUR, 3 * DAY, 5 * DAY, 6 * DAY, 7 * DAY] as const;

const steps = (windowRule: WindowRule, list: [templateCode: string, delayMinutes: number][]): DefaultStep[] =>
  list.map(([templateCode, delayMinutes]) => ({ templateCode, delayMinutes, windowRule }));

export const DEFAULT_SEQUENCES: readonly DefaultSequence[] = [
  {
    code: 'welcome',
    name: 'Welcome prospect (7 days)',
    description:
      'Starts when an artist signs up. Daytime window (09:00–20:00 every day) rather than the marketing one, so a Friday sign-up is welcomed the same day, not the next Tuesday. Ends as converted when any offer is paid (MONA 290 moves the artist to the nurturing sequence).',
    trigger: 'signup',
    triggerConfig: {},
    exitRules: [{ type: 'order_paid' }, { type: 'unsubscribed' }],
    steps: steps('daytime', [
      ['welcome.d0.email', WELCOME_STEP_DELAYS[0]],
      ['welcome.h2.sms', WELCOME_STEP_DELAYS[1]],
      ['welcome.d3.email', WELCOME_STEP_DELAYS[2]],
      ['welcome.d5.email', WELCOME_STEP_DELAYS[3]],
      ['welcome.d6.sms', WELCOME_STEP_DELAYS[4]],
      ['welcome.d7.email', WELCOME_STEP_DELAYS[5]],
    ]),
  },
  {
    code: 'mona_290_nurturing',
    name: 'MONA 290 nurturing (30 days)',
    description:
      'Starts when a MONA 290 order is paid: helps the artist act on the prescription, then presents MONA 390. Ends as converted when MONA 390 or 490+ is paid.',
    trigger: 'order_paid',
    triggerConfig: { offerCode: OFFER_CODES.mona290 },
    exitRules: [{ type: 'order_paid', offerCode: OFFER_CODES.mona390 }, { type: 'order_paid', offerCode: OFFER_CODES.mona490 }, { type: 'unsubscribed' }],
    steps: steps('marketing', [
      ['nurture290.d1.email', 1 * DAY],
      ['nurture290.d7.email', 7 * DAY],
      ['nurture290.d14.email', 14 * DAY],
      ['nurture290.d21.sms', 21 * DAY],
      ['nurture290.d30.email', 30 * DAY],
    ]),
  },
  {
    code: 'mona_390_upsell',
    name: 'MONA 390 upsell (14 days)',
    description:
      'Starts when a MONA 390 order is paid: coaching tips, then MONA 490+ (follow-up, sponsors, SPARK preparation). Ends as converted when MONA 490+ is paid.',
    trigger: 'order_paid',
    triggerConfig: { offerCode: OFFER_CODES.mona390 },
    exitRules: [{ type: 'order_paid', offerCode: OFFER_CODES.mona490 }, { type: 'unsubscribed' }],
    steps: steps('marketing', [
      ['upsell390.d2.email', 2 * DAY],
      ['upsell390.d7.email', 7 * DAY],
      ['upsell390.d10.sms', 10 * DAY],
      ['upsell390.d14.email', 14 * DAY],
    ]),
  },
  {
    code: 'spark_ready_invitation',
    name: 'SPARK-ready invitation (21 days)',
    description:
      'Starts when the artist reaches the SPARK-ready tier: invitation to apply to a residency. Ends when the artist moves to another pipeline stage or unsubscribes.',
    trigger: 'tier_changed',
    triggerConfig: { tier: 'spark_ready' },
    exitRules: [{ type: 'stage_changed' }, { type: 'unsubscribed' }],
    steps: steps('marketing', [
      ['spark.d0.email', 0],
      ['spark.d0.inapp', 0],
      ['spark.d7.email', 7 * DAY],
      ['spark.d14.sms', 14 * DAY],
      ['spark.d21.email', 21 * DAY],
    ]),
  },
  {
    code: 'win_back',
    name: 'Win-back (10 days)',
    description:
      'Starts for artists with no activity (login, interaction, engagement, order) for 60 days; not again within 60 days of the previous start. Ends on any activity the system sees as an event: an order paid (converted), a stage change, an unsubscribe.',
    trigger: 'inactivity',
    triggerConfig: { days: 60 },
    exitRules: [{ type: 'order_paid' }, { type: 'stage_changed' }, { type: 'unsubscribed' }],
    steps: steps('marketing', [
      ['winback.d0.email', 0],
      ['winback.d4.email', 4 * DAY],
      ['winback.d7.sms', 7 * DAY],
      ['winback.d10.email', 10 * DAY],
    ]),
  },
];
