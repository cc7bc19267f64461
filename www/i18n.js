// The interface's words in English and Korean. Static text carries `data-i18n="key"` in
// index.html (its English text is the fallback); scripts call t(key, vars). The language comes
// from `?lang=ko` or the header's menu and is remembered in localStorage.
const en = {
  ds_iris: 'IRIS (150 flowers, 4 features)', ds_mnist: 'MNIST (70 000 digits)', ds_fashion: 'Fashion-MNIST (70 000 garments)',
  page_title: 'advlab — adversarial machine learning in your browser', status_region: 'Models and running job',
  draw_area: 'Drawing area: draw a digit with the mouse, a finger or a pen', seen_label: 'The 28 by 28 input',
  share_label: 'Link or embed code', slider: '{name} slider', table: 'Table {n}',
  sr_predicts: '{model} predicts {label} ({p})', sr_no_scores: '{model} has no scores', sr_none_yet: 'no scores yet', sr_no_value: 'no value',
  sr_goes: '{name} {y} goes from {a} to {b} as {x} goes from {c} to {d}', sr_one_point: '{name} {y} is {a} at {x} {c}',
  sr_no_points: '{name} has no points', sr_no_curves: 'no curves yet',
  sr_regions: 'model regions for {names} over {x} against {y}; {n} test points', sr_classes: 'classes {names} over {x} against {y}; {n} test points',
  sr_fooled: '{fooled} of {n} attacks fooled the model', chart_word: 'chart',
  settings: 'Settings', settings_hide: 'Hide settings',
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
  engine_ready: 'Engine ready · advlab {version} · workers: {workers}', engine_error: 'Engine error: {message}',
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
  bad_count: '{key}={value}: must be a whole number from 1 to {max}',
  skip_to_training: 'Skip to training', job_started: '{name} started',
  attack_no_change: '{attack} changed neither model\u2019s answer. Try a larger eps (or theta), or a stronger attack: PGD iterates where FGSM takes one step, and JSMA changes a few pixels by a lot.',
  bad_bool: 'must be 1 or 0', not_an_option: 'not one of {valid}', not_a_number: 'not a number',
  bad_value: '{key} = {value}: {why}',
  site_only: 'on the website only', subset_label: '{name} ({train} of {of_train} training and {test} of {of_test} test samples)',
  train_queued: 'Training starts as soon as {name} has loaded.',
  scenarios: 'The report\u2019s experiments', quick: 'on a subset (slow machines)', run_scenario: 'Run',
  copy_link: 'Copy link', copy_embed: 'Copy embed code', embed_size: 'Embed size',
  link_copied: 'Link copied.', embed_copied: 'Embed code copied: paste it into a slide or web page.',
  copy_by_hand: 'Copying is not allowed here: select the text below and copy it.',
  why_differs: 'What matches the report, and what differs',
  report_series: 'report · {slot}',
  transfer_series: '{slot} · {attack} crafted on the undefended model (transfer)',
  scenario_option: '{table}: {attack} on {dataset}',
  scenario_desc: '{table}: {defence}; {param} takes the report\u2019s values {values}.',
  scenario_reference: 'Dashed: the report\u2019s figures ({dataset}, clean accuracy {clean}%), each in the colour of the curve it compares with.',
  scenario_shipped: 'Solid: the shipped models, made with the report\u2019s recipe; {n} test samples; at 0, clean accuracy.',
  scenario_trained: 'Solid: trained here ({epochs} epoch(s) on {train} samples{subset}); {n} test samples; at 0, clean accuracy.',
  scenario_subset: ', a subset for slow machines, not the report\u2019s recipe',
  shipped_loaded: 'Loaded the shipped model {name}, made with exactly these settings.',
  shipped_line: 'shipped model, trained with this recipe ({epochs} epochs)',
  train_here: 'Train these here',
  trainer_attack: 'Trains against', more_options: 'More options',
  queries_so_far: '{total} queries on {samples} sample(s)', queries_used: '{q} model queries',
  first_success: 'fooled first by {attack}', stayed_robust: 'robust: no attack of the ensemble fooled it',
  misclassified: 'already misclassified before the attack',
  export_png: 'Download as PNG: {what}', export_csv: 'Download the numbers as CSV: {what}',
  stack_h: 'Defence stack around the defended model',
  stack_hint: 'Pre-processors change the input before the model reads it; post-processors change the scores it reports. Attacks see the whole stack; the attack panel chooses how they take gradients through it.',
  stack_piece: 'Piece', stack_add: 'Add', stack_apply: 'Apply to the defended model',
  stack_need_model: 'Train or upload the defended model first.', stack_pending: 'Not applied yet: press Apply.',
  stack_empty: 'No pieces: the defended model answers on its own.',
  stack_applied: 'Applied. Clean accuracy through the stack: {acc} on {n} test samples.',
  stack_line: 'stack: {stack} · {acc} clean', model_word: 'model', detector_word: 'with a detector',
  stage_pre: 'pre-processor', stage_post: 'post-processor', not_differentiable: 'not differentiable', randomised: 'random',
  piece_up: 'Move up', piece_down: 'Move down', piece_remove: 'Remove',
  detector_h: 'Detector (BinaryInputDetector)',
  detector_hint: 'A second small network learns to tell clean inputs from adversarial ones, crafted with the attack below on the defended model. Its score is shown beside every prediction.',
  det_attack: 'Trained against', train_detector: 'Train detector', remove_detector: 'Remove detector',
  job_detector: 'Training the detector', 'phase_craft-train': 'crafting adversarial training inputs',
  'phase_train-detector': 'training the detector', 'phase_craft-test': 'measuring on adversarial test inputs',
  no_detector: 'No detector yet.',
  detector_report: 'The detector flags {det} of {attack} examples and {fp} of clean inputs ({n} test samples each); the model itself gets {acc} of the adversarial ones right.',
  detector_loaded: 'Detector loaded with the model file (its rates were measured when it was trained).',
  detector_verdict: '{slot} detector: {verdict} (score {score})', verdict_flagged: 'adversarial', verdict_clean: 'looks clean',
  attack_detector: '{slot} detector flagged {adv} of adversarial and {clean} of clean inputs; {won} fooled the model unflagged',
  attack_detector_one: '{slot} detector: adversarial input {adv}, original {clean}', detector_score: '{verdict} ({score})',
  adaptive_h: 'Through the defence stack',
  compare_adaptive: 'Beside it, adaptive',
  adaptive_series: 'adaptive {mode}',
  adaptive_explain: 'Why two curves: a pre-processor such as feature squeezing rounds the input, so its gradient is zero almost everywhere, and a post-processor can hide or bend the scores. The naive attack follows that useless gradient and fails, so the defence looks strong. The adaptive attack passes the gradient through the pre-processor as if it were the identity (BPDA) and averages over random draws (EOT); against it the defended curve falls. A defence that only hides gradients gives a false sense of security (Athalye, Carlini and Wagner, 2018).',
};


const ko = {
  ds_iris: 'IRIS (꽃 150송이, 특성 4개)', ds_mnist: 'MNIST (손글씨 숫자 70 000개)', ds_fashion: 'Fashion-MNIST (옷 사진 70 000장)',
  page_title: 'advlab — 브라우저 안의 적대적 머신러닝', status_region: '모델과 실행 중인 작업',
  draw_area: '그리는 곳: 마우스, 손가락, 펜으로 숫자를 그리세요', seen_label: '28×28 입력',
  share_label: '링크 또는 임베드 코드', slider: '{name} 슬라이더', table: '표 {n}',
  sr_predicts: '{model}: {label} 예측 ({p})', sr_no_scores: '{model}: 점수 없음', sr_none_yet: '아직 점수가 없습니다', sr_no_value: '값 없음',
  sr_goes: '{name} {y}: {x}가 {c}에서 {d}로 갈 때 {a}에서 {b}로', sr_one_point: '{name} {y}: {x} {c}에서 {a}',
  sr_no_points: '{name}: 점 없음', sr_no_curves: '아직 곡선이 없습니다',
  sr_regions: '{x}와 {y} 위의 모델 영역 ({names}); 테스트 점 {n}개', sr_classes: '{x}와 {y} 위의 클래스 ({names}); 테스트 점 {n}개',
  sr_fooled: '공격 {n}번 중 {fooled}번 모델을 속임', chart_word: '차트',
  settings: '설정', settings_hide: '설정 숨기기',
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
  engine_ready: '엔진 준비됨 · advlab {version} · 워커 {workers}개', engine_error: '엔진 오류: {message}',
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
  bad_count: '{key}={value}: 1부터 {max}까지의 정수여야 합니다',
  skip_to_training: '학습으로 건너뛰기', job_started: '{name} 시작',
  attack_no_change: '{attack}가 두 모델의 답을 하나도 바꾸지 못했습니다. 더 큰 eps(또는 theta)나 더 강한 공격을 써 보세요. PGD는 FGSM이 한 걸음 가는 곳을 여러 번 반복하고, JSMA는 몇 픽셀을 크게 바꿉니다.',
  bad_bool: '1 또는 0이어야 합니다', not_an_option: '{valid} 중 하나가 아닙니다', not_a_number: '숫자가 아닙니다',
  bad_value: '{key} = {value}: {why}',
  site_only: '웹사이트에서만', subset_label: '{name} (학습 {of_train}개 중 {train}개, 테스트 {of_test}개 중 {test}개)',
  train_queued: '{name}을(를) 다 불러오면 학습을 시작합니다.',
  scenarios: '보고서의 실험', quick: '일부로 (느린 컴퓨터)', run_scenario: '실행',
  copy_link: '링크 복사', copy_embed: '임베드 코드 복사', embed_size: '임베드 크기',
  link_copied: '링크를 복사했습니다.', embed_copied: '임베드 코드를 복사했습니다. 슬라이드나 웹 페이지에 붙여 넣으세요.',
  copy_by_hand: '여기서는 복사할 수 없습니다. 아래 글을 선택해 복사하세요.',
  why_differs: '보고서와 같은 점과 다른 점',
  report_series: '보고서 · {slot}',
  transfer_series: '{slot} · 방어 없는 모델에서 만든 {attack} (전이)',
  scenario_option: '{table}: {dataset}에 {attack}',
  scenario_desc: '{table}: {defence}; {param}는 보고서의 값 {values}를 씁니다.',
  scenario_reference: '점선: 보고서의 수치 ({dataset}, 깨끗한 정확도 {clean}%). 비교할 곡선과 같은 색입니다.',
  scenario_shipped: '실선: 보고서의 학습 방법으로 만들어 함께 제공하는 모델, 테스트 샘플 {n}개. 0에서는 깨끗한 정확도입니다.',
  scenario_trained: '실선: 여기서 학습 ({epochs} 에포크, 샘플 {train}개{subset}), 테스트 샘플 {n}개. 0에서는 깨끗한 정확도입니다.',
  scenario_subset: ', 느린 컴퓨터를 위한 일부로 보고서의 학습 방법이 아님',
  shipped_loaded: '제공된 모델 {name}을 불러왔습니다. 바로 이 설정으로 만든 모델입니다.',
  shipped_line: '제공된 모델, 이 학습 방법으로 학습 ({epochs} 에포크)',
  train_here: '여기서 학습하기',
  trainer_attack: '학습에 쓰는 공격', more_options: '추가 설정',
  queries_so_far: '샘플 {samples}개에 조회 {total}회', queries_used: '모델 조회 {q}회',
  first_success: '{attack}이(가) 처음 속임', stayed_robust: '강건함: 앙상블의 어떤 공격도 속이지 못함',
  misclassified: '공격 전부터 잘못 분류됨',
  export_png: 'PNG 파일로 내려받기: {what}', export_csv: '숫자를 CSV 파일로 내려받기: {what}',
  stack_h: '방어 모델을 감싼 방어 스택',
  stack_hint: '전처리는 모델이 읽기 전에 입력을 바꾸고, 후처리는 모델이 알리는 점수를 바꿉니다. 공격은 스택 전체를 보며, 스택을 지나 그래디언트를 얻는 방법은 공격 패널에서 고릅니다.',
  stack_piece: '조각', stack_add: '추가', stack_apply: '방어 모델에 적용',
  stack_need_model: '먼저 방어 모델을 학습하거나 올리세요.', stack_pending: '아직 적용하지 않았습니다: 적용을 누르세요.',
  stack_empty: '조각이 없습니다: 방어 모델이 혼자 답합니다.',
  stack_applied: '적용됨. 스택을 거친 깨끗한 정확도: 테스트 샘플 {n}개에서 {acc}.',
  stack_line: '스택: {stack} · 깨끗한 정확도 {acc}', model_word: '모델', detector_word: '탐지기 있음',
  stage_pre: '전처리', stage_post: '후처리', not_differentiable: '미분 불가', randomised: '무작위',
  piece_up: '위로', piece_down: '아래로', piece_remove: '빼기',
  detector_h: '탐지기 (BinaryInputDetector)',
  detector_hint: '작은 신경망 하나가 깨끗한 입력과, 아래 공격으로 방어 모델에서 만든 적대적 입력을 구별하도록 배웁니다. 모든 예측 옆에 그 점수를 보여 줍니다.',
  det_attack: '학습에 쓰는 공격', train_detector: '탐지기 학습', remove_detector: '탐지기 빼기',
  job_detector: '탐지기 학습 중', 'phase_craft-train': '적대적 학습 입력을 만드는 중',
  'phase_train-detector': '탐지기를 학습하는 중', 'phase_craft-test': '적대적 테스트 입력으로 재는 중',
  no_detector: '아직 탐지기가 없습니다.',
  detector_report: '탐지기는 {attack} 예제의 {det}와 깨끗한 입력의 {fp}를 적대적이라고 표시합니다(각각 테스트 샘플 {n}개). 모델 자체는 적대적 예제의 {acc}를 맞힙니다.',
  detector_loaded: '모델 파일과 함께 탐지기를 불러왔습니다(비율은 학습할 때 쟀습니다).',
  detector_verdict: '{slot} 탐지기: {verdict} (점수 {score})', verdict_flagged: '적대적', verdict_clean: '깨끗해 보임',
  attack_detector: '{slot} 탐지기가 적대적 입력의 {adv}, 깨끗한 입력의 {clean}를 표시함; {won}는 표시되지 않고 모델을 속임',
  attack_detector_one: '{slot} 탐지기: 적대적 입력 {adv}, 원본 {clean}', detector_score: '{verdict} ({score})',
  adaptive_h: '방어 스택을 지나는 방법',
  compare_adaptive: '옆에 적응형 공격',
  adaptive_series: '적응형 {mode}',
  adaptive_explain: '곡선이 두 개인 이유: 특성 압축 같은 전처리는 입력을 반올림하므로 그래디언트가 거의 어디서나 0이고, 후처리는 점수를 숨기거나 비틀 수 있습니다. 단순한 공격은 쓸모없는 그래디언트를 따라가다 실패하므로 방어가 강해 보입니다. 적응형 공격은 전처리를 항등인 것처럼 그래디언트를 통과시키고(BPDA) 무작위 추출에 대해 평균을 냅니다(EOT). 그러면 방어 모델의 곡선이 떨어집니다. 그래디언트를 숨기기만 하는 방어는 거짓 안도감을 줍니다(Athalye, Carlini, Wagner 2018).',
};


const dictionaries = { en, ko };
let current = 'en';

export function t(key, vars = {}) {
  const text = (dictionaries[current] && dictionaries[current][key]) || en[key] || key;
  return text.replace(/\{(\w+)\}/g, (_, k) => (k in vars ? String(vars[k]) : `{${k}}`));
}

// Names that come with the data, in the page's language: IRIS's feature names and Fashion-MNIST's
// garments. Names not listed stay as they are (digits; IRIS's species, which are Latin names).
const dataNames = {
  ko: {
    'sepal length': '꽃받침 길이', 'sepal width': '꽃받침 너비', 'petal length': '꽃잎 길이', 'petal width': '꽃잎 너비',
    'T-shirt/top': '티셔츠/탑', Trouser: '바지', Pullover: '풀오버', Dress: '드레스', Coat: '코트',
    Sandal: '샌들', Shirt: '셔츠', Sneaker: '운동화', Bag: '가방', 'Ankle boot': '앵클 부츠',
  },
};

export function dataName(name) {
  return (dataNames[current] && dataNames[current][name]) || name;
}

export const localNames = (list) => Array.from(list || [], dataName);

export function language() {
  return current;
}

export function setLanguage(lang) {
  current = dictionaries[lang] ? lang : 'en';
  document.documentElement.lang = current;
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-aria]')) el.setAttribute('aria-label', t(el.dataset.i18nAria));
  document.title = t('page_title');
  try { localStorage.setItem('advlab-lang', current); } catch { /* private mode */ }
}

export function initialLanguage() {
  const fromUrl = new URLSearchParams(location.search).get('lang');
  let saved = null;
  try { saved = localStorage.getItem('advlab-lang'); } catch { /* private mode */ }
  return fromUrl || saved || (navigator.language || 'en').slice(0, 2);
}
