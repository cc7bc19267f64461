// The interface's words in English and Korean. Static text carries `data-i18n="key"` in
// index.html (its English text is the fallback); scripts call t(key, vars). The language comes
// from `?lang=ko` or the header's menu and is remembered in localStorage.
const en = {
  tagline: 'Train a model, attack it, defend it — all in this tab.',
  language: 'Language', loading_engine: 'Loading the engine…', cancel: 'Cancel',
  data_h: 'Data and models', dataset: 'Dataset', arch: 'Architecture', epochs: 'Epochs',
  lr: 'Learning rate', batch: 'Batch size', train_limit: 'Training samples', seed: 'Seed', target_acc: 'Stop at test accuracy (%)',
  defence_h: 'Defence for the second model', method: 'Method', train: 'Train', train_def: 'Train defended',
  undefended: 'Undefended model', defended: 'Defended model', no_model: 'Not trained yet.',
  download: 'Download', upload: 'Upload .safetensors',
  input_h: 'Draw or pick an input', clear: 'Clear', model_sees: 'What the models see',
  test_index: 'Test sample #', show: 'Show', random: 'Random',
  attack_h: 'Attack', attack: 'Attack', target: 'Target class', crafted_on: 'Craft on',
  craft_undef: 'the undefended model (defended = transfer)', craft_def: 'the defended model (white-box)',
  run_attack: 'Attack this input', original: 'Original', adversarial: 'Adversarial',
  perturbation: 'Perturbation', iteration: 'Iteration',
  map_h: 'Decision regions (IRIS)', x_feature: 'x axis', y_feature: 'y axis',
  show_attack: 'Attack every test point with the attack above', draw_map: 'Draw',
  map_hint: 'Shaded regions: each model\u2019s prediction with the other two features held at their test-set means. Points: the 45 test flowers (shape = true species). Arrows: where the attack moved each flower; a cross marks a fooled prediction.',
  curve_h: 'Robustness curve', param: 'Parameter', values: 'Values', samples: 'Test samples',
  run_curve: 'Run with the attack above', csv: 'Download CSV',
  footer: 'Every number on this page is computed by Rust compiled to WebAssembly in a web worker; nothing leaves your browser. Parameter names follow IBM\u2019s Adversarial Robustness Toolbox (ART).',
  engine_ready: 'Engine ready · advlab {version}', engine_error: 'Engine error: {message}',
  loading_dataset: 'Loading {name}…', dataset_ready: '{name}: {train} training and {test} test samples, {classes} classes.',
  starting: 'starting…', time_left: 'about {s} s left', epoch: 'epoch {epoch}/{epochs}',
  loss_acc: 'loss {loss} · accuracy {acc}', job_train: 'Training the {slot} model', job_attack: 'Attacking',
  job_sweep: 'Robustness curve', done_in: 'Done in {s} s.', cancelled: 'Cancelled.', failed: 'Failed.',
  model_line: '{arch} · {params} parameters · {defence}', no_defence: 'no defence', test_acc: 'clean test accuracy',
  imported: 'uploaded', train_curves: 'Training curves', loss: 'loss', accuracy: 'accuracy',
  scores_title: 'Class scores', scores_adv: 'Class scores on the adversarial input', true_label: 'true label: {label}',
  drawn: 'your drawing', predicts: '{model} predicts {label} ({p})', random_target: 'random wrong class',
  norms: 'L0 {l0} features · L2 {l2} · L∞ {linf} · iterations: {iters}',
  fooled: 'fooled', not_fooled: 'not fooled', transfer_note: 'crafted on the {slot} model',
  need_model: 'Train or upload a model first.', curve_title: 'Accuracy under attack', no_param: 'This attack has no numeric parameter to sweep.',
  bad_values: 'Values must be numbers separated by commas.', features_title: 'Feature values',
  slot_undefended: 'undefended', slot_defended: 'defended',
  map_title: '{slot} model', evaluating: 'measuring test accuracy…',
  notice_title: 'Some settings in this link were ignored:', dismiss: 'Dismiss',
  bad_flag: '{key}={value}: must be 1 or 0', bad_panel: 'panels: {value} is not a panel (the panels are {valid})',
  bad_choice: '{key}={value}: must be one of {valid}', unknown_param: '{key}: no such setting',
  bad_bool: 'must be 1 or 0', not_an_option: 'not one of {valid}', not_a_number: 'not a number',
  bad_value: '{key} = {value}: {why}',
  site_only: 'on the website only', subset_label: '{name} ({train} of {of_train} training and {test} of {of_test} test samples)',
  train_queued: 'Training starts as soon as {name} has loaded.',
  scenarios: 'The report\u2019s experiments', quick: 'quick', run_scenario: 'Run',
  copy_link: 'Copy link', copy_embed: 'Copy embed code', embed_size: 'Embed size',
  link_copied: 'Link copied.', embed_copied: 'Embed code copied: paste it into a slide or web page.',
  copy_by_hand: 'Copying is not allowed here: select the text below and copy it.',
  why_differs: 'Why advlab\u2019s numbers differ from the report\u2019s (in English)',
  report_series: 'report · {slot}',
  scenario_option: '{table}: {attack} on {dataset}',
  scenario_desc: '{table}: {defence}; {param} takes the report\u2019s values {values}.',
  scenario_reference: 'Dashed: the report\u2019s figures ({dataset}, clean accuracy {clean}%).',
  scenario_measured: 'Solid: measured here on {dataset}: {arch} trained {epochs} epoch(s) on {train} samples, attacked on the first {n} test samples.',
  scenario_fine_tuned: 'The defended model continues from the undefended model\u2019s weights, as advlab reproduce does for this expensive defence.',
  scenario_stand_in: '{ours} stands in for {theirs}, which no package registry ships, so only the trend is comparable.',
  trainer_attack: 'Trains against', more_options: 'More options',
  queries_so_far: '{total} queries on {samples} sample(s)', queries_used: '{q} model queries',
  first_success: 'fooled first by {attack}', stayed_robust: 'robust: no attack of the ensemble fooled it',
  misclassified: 'already misclassified before the attack',
  export_png: 'Download as PNG: {what}', export_csv: 'Download the numbers as CSV: {what}',
};


const ko = {
  tagline: '모델을 학습하고, 공격하고, 방어하세요 — 모두 이 탭 안에서.',
  language: '언어', loading_engine: '엔진을 불러오는 중…', cancel: '취소',
  data_h: '데이터와 모델', dataset: '데이터셋', arch: '구조', epochs: '에포크',
  lr: '학습률', batch: '배치 크기', train_limit: '학습 샘플 수', seed: '시드', target_acc: '목표 테스트 정확도 (%)에서 멈춤',
  defence_h: '두 번째 모델의 방어', method: '방법', train: '학습', train_def: '방어 모델 학습',
  undefended: '방어하지 않은 모델', defended: '방어한 모델', no_model: '아직 학습하지 않았습니다.',
  download: '내려받기', upload: '.safetensors 올리기',
  input_h: '그리거나 고르기', clear: '지우기', model_sees: '모델이 보는 입력',
  test_index: '테스트 샘플 #', show: '보기', random: '무작위',
  attack_h: '공격', attack: '공격', target: '목표 클래스', crafted_on: '공격 대상',
  craft_undef: '방어하지 않은 모델 (방어 모델 = 전이)', craft_def: '방어한 모델 (화이트박스)',
  run_attack: '이 입력 공격하기', original: '원본', adversarial: '적대적 입력',
  perturbation: '섭동', iteration: '반복',
  map_h: '결정 영역 (IRIS)', x_feature: 'x 축', y_feature: 'y 축',
  show_attack: '위의 공격으로 모든 테스트 점 공격하기', draw_map: '그리기',
  map_hint: '칠해진 영역: 나머지 두 특성을 테스트셋 평균으로 둔 각 모델의 예측. 점: 테스트 꽃 45송이 (모양 = 실제 품종). 화살표: 공격이 옮긴 위치; 가위표는 속은 예측.',
  curve_h: '강건성 곡선', param: '매개변수', values: '값', samples: '테스트 샘플 수',
  run_curve: '위의 공격으로 실행', csv: 'CSV 내려받기',
  footer: '이 페이지의 모든 숫자는 웹 워커 안의 WebAssembly(Rust)가 계산합니다. 데이터는 브라우저를 떠나지 않습니다. 매개변수 이름은 IBM ART를 따릅니다.',
  engine_ready: '엔진 준비됨 · advlab {version}', engine_error: '엔진 오류: {message}',
  loading_dataset: '{name} 불러오는 중…', dataset_ready: '{name}: 학습 {train}개, 테스트 {test}개, 클래스 {classes}개.',
  starting: '시작하는 중…', time_left: '약 {s}초 남음', epoch: '에포크 {epoch}/{epochs}',
  loss_acc: '손실 {loss} · 정확도 {acc}', job_train: '{slot} 모델 학습 중', job_attack: '공격 중',
  job_sweep: '강건성 곡선', done_in: '{s}초 만에 완료.', cancelled: '취소했습니다.', failed: '실패했습니다.',
  model_line: '{arch} · 매개변수 {params}개 · {defence}', no_defence: '방어 없음', test_acc: '깨끗한 테스트 정확도',
  imported: '올린 모델', train_curves: '학습 곡선', loss: '손실', accuracy: '정확도',
  scores_title: '클래스 점수', scores_adv: '적대적 입력의 클래스 점수', true_label: '정답: {label}',
  drawn: '직접 그린 그림', predicts: '{model}: {label} ({p})', random_target: '무작위 오답 클래스',
  norms: 'L0 특성 {l0}개 · L2 {l2} · L∞ {linf} · 반복 {iters}회',
  fooled: '속음', not_fooled: '속지 않음', transfer_note: '{slot} 모델에서 만든 공격',
  need_model: '먼저 모델을 학습하거나 올리세요.', curve_title: '공격 하의 정확도', no_param: '이 공격에는 바꿀 숫자 매개변수가 없습니다.',
  bad_values: '값은 쉼표로 구분한 숫자여야 합니다.', features_title: '특성 값',
  slot_undefended: '방어하지 않은', slot_defended: '방어한',
  map_title: '{slot} 모델', evaluating: '테스트 정확도 측정 중…',
  notice_title: '이 링크의 설정 중 일부를 무시했습니다:', dismiss: '닫기',
  bad_flag: '{key}={value}: 1 또는 0이어야 합니다', bad_panel: 'panels: {value}는 패널이 아닙니다 (패널: {valid})',
  bad_choice: '{key}={value}: {valid} 중 하나여야 합니다', unknown_param: '{key}: 없는 설정입니다',
  bad_bool: '1 또는 0이어야 합니다', not_an_option: '{valid} 중 하나가 아닙니다', not_a_number: '숫자가 아닙니다',
  bad_value: '{key} = {value}: {why}',
  site_only: '웹사이트에서만', subset_label: '{name} (학습 {of_train}개 중 {train}개, 테스트 {of_test}개 중 {test}개)',
  train_queued: '{name}을(를) 다 불러오면 학습을 시작합니다.',
  scenarios: '보고서의 실험', quick: '빠르게', run_scenario: '실행',
  copy_link: '링크 복사', copy_embed: '임베드 코드 복사', embed_size: '임베드 크기',
  link_copied: '링크를 복사했습니다.', embed_copied: '임베드 코드를 복사했습니다. 슬라이드나 웹 페이지에 붙여 넣으세요.',
  copy_by_hand: '여기서는 복사할 수 없습니다. 아래 글을 선택해 복사하세요.',
  why_differs: 'advlab의 숫자가 보고서와 다른 이유 (영어)',
  report_series: '보고서 · {slot}',
  scenario_option: '{table}: {dataset}에 {attack}',
  scenario_desc: '{table}: {defence}; {param}는 보고서의 값 {values}를 씁니다.',
  scenario_reference: '점선: 보고서의 수치 ({dataset}, 깨끗한 정확도 {clean}%).',
  scenario_measured: '실선: 여기서 {dataset}로 측정: {arch}를 샘플 {train}개로 {epochs} 에포크 학습, 앞의 테스트 샘플 {n}개를 공격.',
  scenario_fine_tuned: '방어 모델은 방어하지 않은 모델의 가중치에서 이어서 학습합니다 (비싼 방어라서 advlab reproduce도 그렇게 합니다).',
  scenario_stand_in: '{theirs}는 어떤 패키지 저장소에도 없어서 {ours}가 대신합니다. 경향만 비교할 수 있습니다.',
  trainer_attack: '학습에 쓰는 공격', more_options: '추가 설정',
  queries_so_far: '샘플 {samples}개에 조회 {total}회', queries_used: '모델 조회 {q}회',
  first_success: '{attack}이(가) 처음 속임', stayed_robust: '강건함: 앙상블의 어떤 공격도 속이지 못함',
  misclassified: '공격 전부터 잘못 분류됨',
  export_png: 'PNG로 내려받기: {what}', export_csv: '숫자를 CSV로 내려받기: {what}',
};


const dictionaries = { en, ko };
let current = 'en';

export function t(key, vars = {}) {
  const text = (dictionaries[current] && dictionaries[current][key]) || en[key] || key;
  return text.replace(/\{(\w+)\}/g, (_, k) => (k in vars ? String(vars[k]) : `{${k}}`));
}

export function language() {
  return current;
}

export function setLanguage(lang) {
  current = dictionaries[lang] ? lang : 'en';
  document.documentElement.lang = current;
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  try { localStorage.setItem('advlab-lang', current); } catch { /* private mode */ }
}

export function initialLanguage() {
  const fromUrl = new URLSearchParams(location.search).get('lang');
  let saved = null;
  try { saved = localStorage.getItem('advlab-lang'); } catch { /* private mode */ }
  return fromUrl || saved || (navigator.language || 'en').slice(0, 2);
}
